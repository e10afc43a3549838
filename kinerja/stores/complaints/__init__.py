"""Complaints (pengaduan, field.md §3): taking them in from the public (intake), handling them
on the staff side (handling), and the figures other pages show (figures). Every refusal is a
rules.DomainError carrying the message a user reads."""
