"""SKM for staff (blueprint `survey_admin`, prefix /skm): the dashboard and the IKM weight,
service units with their services, periods, kiosk and poster, the review queue, paper
questionnaires (typed or imported), suggestions and their follow-up, reports and exports.

One module per group of pages; they share the blueprint and the loaders in `common`.
"""
from .common import bp  # noqa: F401  (views/__init__.py registers it)
from . import dashboard, paper, reports, review, suggestions, units  # noqa: F401,E402  (routes register on bp)
