"""Talent management (domain/followup.md §6–7): potential assessments and their import
(potential), the nine-box placement of a scope (placement), its workbook for Baperjakat
(export, also the worker's builder for the regency), the regency's switches (settings), and
the angka kredit of functional staff (credits)."""
