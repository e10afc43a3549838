"""The SKM lists at a province's size: the staff dashboard a page of service units at a time
(with the flagged responses of every unit still counted on its button), and the public IKM a
page of OPDs at a time (with the IKM of the whole regency still pooled over every unit)."""
import re

from kinerja.models import ServiceUnit, SurveyResponse, Unit
from kinerja.stores.survey.dashboard import PER_PAGE
from kinerja.views.survey_public import OPDS_PER_PAGE

from ..support import database
from ..support.survey import add_response, make_unit


def _service_units(app, count: int) -> None:
    """`count` service units named after every demo one, each in an OPD of its own, with one
    flagged and one valid response each."""
    with database(app):
        for n in range(count):
            opd = Unit.create(code=f"ZZ-{n:03d}", name=f"Zz Dinas Uji {n:03d}")
            opd.refresh_path()
            su = make_unit(f"zz-{n:03d}", opd.code)
            su.name = f"Zz Unit Uji {n:03d}"
            su.save()
            add_response(su, answers=1)
            add_response(su, status="flagged")


def test_the_dashboard_pages_its_service_units_and_counts_every_flag(app, as_role):
    with database(app):
        demo = ServiceUnit.select().count()
    _service_units(app, PER_PAGE + 3 - demo)
    client = as_role("admin")
    first = client.get("/skm").get_data(as_text=True)
    total = PER_PAGE + 3
    assert f"Menampilkan unit layanan 1–{PER_PAGE} dari {total}" in first
    assert first.count('id="skm-unit-') == PER_PAGE
    second = client.get("/skm?page=2").get_data(as_text=True)
    assert second.count('id="skm-unit-') == 3 and "Zz Unit Uji" in second
    # The review queue's button counts every unit's flags, not the page's.
    with database(app):
        flagged = SurveyResponse.select().where(SurveyResponse.status == "flagged").count()
    for html in (first, second):
        assert re.search(rf"Antrean tinjauan \({flagged}\)", html)


def test_the_public_ikm_pages_its_opds_and_pools_every_unit(app):
    with database(app):
        demo_opds = len({su.unit.opd_id for su in ServiceUnit.select().where(ServiceUnit.active)})
        demo_units = ServiceUnit.select().where(ServiceUnit.active).count()
    _service_units(app, OPDS_PER_PAGE + 2 - demo_opds)
    citizen = app.test_client()
    first = citizen.get("/ikm").get_data(as_text=True)
    units = demo_units + OPDS_PER_PAGE + 2 - demo_opds
    assert f"dari {units} unit layanan di {OPDS_PER_PAGE + 2} OPD" in first
    assert f"OPD 1–{OPDS_PER_PAGE} dari {OPDS_PER_PAGE + 2}" in first
    assert first.count('<section class="group">') == OPDS_PER_PAGE
    second = citizen.get("/ikm?page=2").get_data(as_text=True)
    assert second.count('<section class="group">') == 2
    assert "Zz Dinas Uji" in second and 'href="/ikm?page=1"' in second
    # The headline is the same on every page: every unit's responses pooled.
    headline = re.compile(r'<section class="result">.*?</section>', re.S)
    assert headline.search(first).group(0) == headline.search(second).group(0)


def test_the_review_queue_pages_by_id_and_counts_what_waits(app, as_role):
    """50 a page, oldest first per unit, found among the ids; the count beside it is of the
    whole scope, read from the tally."""
    with database(app):
        su = ServiceUnit.select().join(Unit).where(Unit.code == "PKM-SUKAMAJU").first()
        for _ in range(53):
            add_response(su, status="flagged")
        flagged = SurveyResponse.status == "flagged"
        total = SurveyResponse.select().where(flagged).count()
        expected = [r.id for r in SurveyResponse.select().where(
            flagged & (SurveyResponse.service_unit == su)).order_by(
            SurveyResponse.submitted_at, SurveyResponse.id)]
    client = as_role("admin")
    first = client.get("/skm/tinjauan").get_data(as_text=True)
    assert re.search(rf'id="review-count"[^>]*>{total}<', first)
    pages = -(-total // 50)
    last = client.get(f"/skm/tinjauan?page={pages}").get_data(as_text=True)
    assert f"Halaman {pages} dari {pages}" in last
    assert len(_ids(last)) == total - 50 * (pages - 1)
    # One unit's queue, page by page, is its flagged responses in the order they came.
    shown = []
    for number in range(1, -(-len(expected) // 50) + 1):
        shown += _ids(client.get(f"/skm/tinjauan?unit={su.id}&page={number}").get_data(as_text=True))
    assert shown == expected


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)]
