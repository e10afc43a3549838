"""Talent management (domain/followup.md §6–7): potential assessments and their import
(potential), the nine-box placement of a scope (placement), the regency's switches
(settings), and the angka kredit of functional staff (credits)."""
