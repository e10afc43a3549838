"""The organisation in the database: the unit tree and the selects built on it (`tree`), units
and positions (`units`), employees with their login and appraiser overrides (`employees`).

Every function takes the admin's scope as a plain value: the unit an admin OPD manages, or
None for the BKPSDM admin (the whole regency)."""
