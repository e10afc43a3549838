"""Attendance: imports of machine records, leave records and the figures made from them."""
