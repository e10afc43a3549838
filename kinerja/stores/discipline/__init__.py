"""Discipline cases under PP 94/2021: proposals from attendance and by hand, the official's
examination and decision (which writes the sanction into the ledger), and who sees what."""
