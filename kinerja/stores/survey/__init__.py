"""The SKM in the database, one module per concern: `intake` (the public questionnaire: its
unit, the stamp, the kiosk, storing a response), `stats` (the figures, and where the running
sums come from), `units` (service units, services, periods, kiosk secret, IKM weight),
`dashboard`, `review` (the flagged-response queue), `suggestions` (and their follow-up),
`paper` (typed and imported questionnaires) and `report` (report, export, poster QR).

On SQLite, survey_response carries triggers that keep `survey_tally` (see `stats`): every
write to a response updates its period's sums in the same transaction.
"""
