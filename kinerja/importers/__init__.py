"""Importers of national data (SIASN) into Kinerja: read, plan (dry run), then write."""
