"""Follow-up after a predikat (blueprint `follow_up`, prefix /tindak-lanjut): the proposals
Kinerja makes from final evaluations and their decisions, the regency's matrix, and the
coaching plans (rencana pembinaan). One module per group of pages on the one blueprint."""
from . import plans, proposals, settings  # noqa: F401  (their routes register on bp)
from .common import bp  # noqa: F401
