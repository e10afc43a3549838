"""The period's turnaround figures beside the Pejabat Penilai's rating panel."""
import datetime

from kinerja.models import ServiceRecord, ServiceStandard
from kinerja.stores.turnaround import beside

from ..support import counting_queries, database
from ..support.app import TODAY
from ..support.evaluation import LAST, YEAR, as_employee, demo_cast, evaluation_of


def log_documents(employee, evaluation, count=3):
    """Documents of a Puskesmas letter the employee finished within the evaluation's period."""
    ServiceStandard.get_or_create(unit=employee.unit_id, kind="Surat Keterangan Sehat",
                                  defaults={"sop_days": 1})
    start = datetime.datetime.combine(evaluation.starts, datetime.time(8))
    ServiceRecord.insert_many([dict(unit=employee.unit_id, kind="Surat Keterangan Sehat",
                                    received_at=start + datetime.timedelta(days=7 * i),
                                    finished_at=start + datetime.timedelta(days=7 * i + i),
                                    handler=employee.id) for i in range(count)]).execute()


def test_the_panel_shows_the_handlers_turnaround_only_when_there_is_data(client, app):
    cast = demo_cast()
    evaluation = evaluation_of(cast.worker, LAST)
    assert evaluation.status == "submitted"
    as_employee(client, cast.penilai)
    url = f"/kinerja/evaluasi/{evaluation.id}"
    before = client.get(url).get_data(as_text=True)
    assert "Rating dan predikat" in before and "Waktu penyelesaian dokumen" not in before
    log_documents(cast.worker, evaluation)
    page = client.get(url).get_data(as_text=True)
    assert "Fakta lapangan periode ini" in page
    assert "Waktu penyelesaian dokumen yang ditangani" in page and "Surat Keterangan Sehat" in page
    assert "Waktu layanan unit yang dipimpin" not in page  # the worker heads no unit


def test_the_panel_shows_the_units_figures_for_its_head(client, app):
    cast = demo_cast()
    own = evaluation_of(cast.penilai, LAST)
    assert own.status == "submitted"
    log_documents(cast.worker, own)
    as_employee(client, cast.atasan)
    page = client.get(f"/kinerja/evaluasi/{own.id}").get_data(as_text=True)
    assert "Waktu layanan unit yang dipimpin: UPTD Puskesmas Sukamaju" in page


def test_facts_cost_the_same_whatever_the_number_of_documents(app, cast):
    start, end = datetime.date(YEAR, 1, 1), TODAY
    with database(app):
        with counting_queries() as few:
            beside.field_facts(cast.kabid, datetime.date(YEAR, 3, 2), datetime.date(YEAR, 3, 6))
        with counting_queries() as many:
            facts = beside.field_facts(cast.kabid, start, end)
        assert facts.unit_turnaround.total.count > 100 and len(many) == len(few)
        assert beside.unit_headed_by(cast.petugas) is None
        assert beside.unit_headed_by(cast.kabid).id == cast.counter.id


def test_attendance_and_complaints_show_beside_when_their_areas_hold_data(client, app):
    cast = demo_cast()
    evaluation = evaluation_of(cast.worker, LAST)
    with database(app):
        facts = beside.field_facts(cast.worker, evaluation.starts, evaluation.ends)
        head_facts = beside.field_facts(cast.penilai, evaluation.starts, evaluation.ends)
    as_employee(client, cast.penilai)
    page = client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)
    assert ("<h4>Kehadiran</h4>" in page) == (facts.attendance is not None)
    assert ("Pengaduan yang ditangani" in page) == (facts.complaints is not None)
    if facts.attendance is not None:
        assert f"{facts.attendance.present} dari {facts.attendance.working_days} hari kerja" in page
    assert all(c.received for _, c in head_facts.unit_complaints)
