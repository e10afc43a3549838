"""Monitoring and evaluation in the database, one module per concern:

- periods: a year's settings (cadence, objection window) and the periods they give;
- access: who stands where to an employee or an evaluation (owner, Pejabat Penilai, Atasan,
  admin), and who heads an OPD;
- progress: the indicators across plan revisions, progress entries with their evidence files;
- feedback: the continuous-feedback threads on an entry or an RHK;
- queue: the team page, the evaluations waiting for a rating and the objections to decide;
- page: everything shown about one evaluation;
- workflow: filling in, submitting, rating, approving, returning, accepting, objecting and
  deciding, each one transaction that re-reads the evaluation and re-checks the rules;
- organisation: the organisation predikat, the distribution curve and the recap.

What is allowed is decided in rules/evaluation.py; the contract is in stores/__init__.py.
"""
