"""SKP planning in the database, by concern:

- plans: reading one plan and what its pages show (content, revisions, history, choices);
- workflow: creating a plan, submitting, deciding, revisions, the Pejabat Penilai;
- content: the owner's edits (approach, RHK and indicators, appendix) and the Pejabat
  Penilai's expectations;
- settings: performance years and each OPD's organisation goals;
- overview: the team overview and the approval inbox;
- cascade: the cascade (Matriks Peran Hasil) of a unit.

Every write re-reads the plan inside its transaction and runs the rule of rules/skp.py
again there, so a step decided on a page that has since gone stale is refused
(DomainError), never applied.
"""
