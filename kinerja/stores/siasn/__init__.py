"""Import of units, positions and employees from a SIASN export (CSV or XLSX): upload, dry
run, confirmation.

The dry run is pure: the file's rows and a `Snapshot` of the database become a `Plan` — what
would be created, updated or left unchanged, and every bad row with its line number and its
reasons in plain Indonesian. The same plan, recomputed inside the write transaction, is the
confirmation: it is written only if it is still the one the user saw.

How rows become the organisation:
- the unit is UNOR (matched by UNOR_ID, else by name), placed under UNOR INDUK (the OPD) when it
  is new; a unit with no induk is an OPD;
- the position is the JABATAN of that unit (matched by name within the unit);
- the position tree follows the NIP of the atasan: the position of the first row naming an
  atasan becomes a child of the atasan's position;
- employees are matched by NIP; those absent from the file are left alone.

Modules: `columns` (the file's headers and the template), `rows` (one row read), `units`
(placing a row in the unit tree), `plan` (the snapshot and the plan), `planner` (the dry run),
`writer` (the snapshot read and the confirmed plan written), `uploads` (the file kept between
dry run and confirmation) and `history` (past imports).
"""
