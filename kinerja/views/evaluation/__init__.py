"""Monitoring and evaluation (blueprint `evaluation`, prefix /kinerja): progress with evidence,
continuous feedback and notifications, periodic and annual evaluations, rating, objections,
360° peer feedback, the organisation predikat with the distribution curve, and the documents.
One module per group of pages; they share the blueprint and the loaders of common.py."""
from . import feedback, peer, progress, rating, reports, team  # noqa: F401  (their routes register on bp)
from .common import bp  # noqa: F401
