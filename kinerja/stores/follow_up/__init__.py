"""Follow-up after a predikat in the database, one module per concern:

- settings: the regency's matrix from predikat to proposals (a Setting holding JSON);
- access: how a user stands to a proposal or a coaching plan, and which proposals they see;
- proposals: proposing inside the transaction that makes an evaluation final, re-proposing
  after an objection, and the Pejabat Penilai's decisions;
- plans: the coaching plan (rencana pembinaan) with its actions, meetings, comments, the
  improvement period and its next steps;
- reminders: the daily reminders of actions falling due.

What is allowed is decided in rules/follow_up.py; the contract is in stores/__init__.py.
"""
