"""Fixtures of the SKM tests."""
import pytest

from kinerja.models import SurveyPeriod

from ..support import database
from ..support.survey import make_unit


@pytest.fixture
def units(app):
    """'sehat' in Dinas Kesehatan (scope of admin.dinkes), 'capil' in Disdukcapil (not)."""
    with database(app):
        sehat = make_unit("uji-sehat", "PKM-SUKAMAJU", services=("Pemeriksaan umum", "Imunisasi"))
        capil = make_unit("uji-capil", "DISDUKCAPIL-DAFDUK", services=("KTP-el",))
        return {"sehat": sehat.id, "capil": capil.id,
                "sehat_period": SurveyPeriod.get(SurveyPeriod.service_unit == sehat).id,
                "capil_period": SurveyPeriod.get(SurveyPeriod.service_unit == capil).id}
