"""Turnaround figures and standards through the store."""
import datetime

import pytest

from kinerja.models import AuditLog, Holiday, ServiceRecord, ServiceStandard, User
from kinerja.rules import DomainError
from kinerja.stores.turnaround import figures, standards

from ..support import counting_queries, database
from ..support.app import TODAY

START, END = datetime.date(TODAY.year, 1, 1), TODAY


def test_unit_figures_of_the_demo_counter(app, cast):
    with database(app):
        result = figures.unit_figures(cast.counter.id, START, END)
        assert result.total.count == ServiceRecord.select().count()
        assert {kind for kind, _, _ in result.by_kind} == {
            "Kartu Keluarga", "KTP-el", "Akta Kelahiran", "Surat Pindah"}
        assert 0 < result.total.within < result.total.count
        assert cast.petugas.id in {e.id for e, _ in result.by_handler}
        # The OPD's figures hold its bidang's.
        opd = figures.unit_figures(cast.counter.parent_id, START, END)
        assert opd.total.count == result.total.count


def test_figures_take_a_constant_number_of_queries(app, cast):
    with database(app):
        with counting_queries() as week:
            small = figures.unit_figures(cast.counter.id, datetime.date(TODAY.year, 3, 2),
                                         datetime.date(TODAY.year, 3, 6))
        with counting_queries() as year:
            large = figures.unit_figures(cast.counter.id, START, END)
        assert large.total.count > 20 * small.total.count
        assert len(year) == len(week) <= 6


def test_handler_figures_are_their_own(app, cast):
    with database(app):
        total, kinds = figures.handler_figures(cast.petugas.id, START, END)
        mine = ServiceRecord.select().where(ServiceRecord.handler == cast.petugas.id).count()
        assert total.count == mine and kinds
        assert figures.handler_figures(cast.nurse.id, START, END) is None


def test_a_period_without_documents_has_no_figures(app, cast):
    with database(app):
        assert figures.unit_figures(cast.counter.id, datetime.date(2020, 1, 1),
                                    datetime.date(2020, 12, 31)) is None


def test_saving_a_standard_changes_a_known_kind_and_is_audited(app, cast):
    with database(app):
        admin = User.get(User.username == "admin")
        standard = standards.save_standard(admin, cast.counter, "  akta   kelahiran ", 2)
        assert (standard.kind, standard.sop_days) == ("Akta Kelahiran", 2)
        assert ServiceStandard.select().where(ServiceStandard.unit == cast.counter.id).count() == 4
        audit = AuditLog.select().where(AuditLog.entity == "service_standard").get()
        assert audit.action == "update" and audit.before_dict()["sop_days"] == 3
        with pytest.raises(DomainError):
            standards.save_standard(admin, cast.counter, "", 2)
        with pytest.raises(DomainError):
            standards.save_standard(admin, cast.counter, "Akta Kematian", 999)


def test_turnaround_counts_working_days_of_the_units_calendar(app, cast):
    """Received on a Friday, finished on Tuesday: 2 working days, 1 when Monday is a holiday."""
    with database(app):
        admin = User.get(User.username == "admin")
        standards.save_standard(admin, cast.counter, "Surat Keterangan", 1)
        ServiceRecord.create(unit=cast.counter.id, kind="Surat Keterangan", handler=cast.petugas.id,
                             received_at=datetime.datetime(2020, 3, 6, 9),
                             finished_at=datetime.datetime(2020, 3, 10, 15))
        year = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
        before = figures.unit_figures(cast.counter.id, *year)
        assert before.total.median_days == 2 and before.total.within == 0
        Holiday.create(day=datetime.date(2020, 3, 9), year=2020, name="Libur", kind="nasional",
                       created_by=admin.id)
        after = figures.unit_figures(cast.counter.id, *year)
        assert after.total.median_days == 1 and after.total.within == 1
