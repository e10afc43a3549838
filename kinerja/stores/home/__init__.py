"""What the Beranda shows each person: the work that is theirs now, counted in SQL, a fixed
number of queries whatever the size of the team, the OPD or the regency.

One module per kind of person: `mine` (every employee), `team` (Pejabat Penilai and Atasan
Pejabat Penilai), `oversight` (head of an OPD, admin OPD, admin BKPSDM). Each returns plain
values; the view picks which parts a person sees and the templates only draw them."""
