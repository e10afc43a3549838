"""Service turnaround: standards, the service-log import, and the figures read from it."""
