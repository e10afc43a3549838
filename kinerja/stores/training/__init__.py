"""Competency development: training records with their certificates, the yearly development
plan (IDP), the 20 JP a year per person, team and OPD, and the import of records."""
