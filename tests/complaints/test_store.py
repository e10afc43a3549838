"""The complaint store: figures per unit and handler, the anonymised follow-up list, the
constant number of queries of the inbox."""
import datetime

from kinerja.models import Complaint, ComplaintDesk, ServiceUnit, User
from kinerja.stores.complaints import figures, handling

from ..support import counting_queries, database

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_unit_figures_count_the_demo_complaints(app, desk):
    with database(app):
        f = figures.unit_figures(desk["id"], *YEAR)
        reviewed = Complaint.select().where((Complaint.service_unit == desk["id"]) & ~Complaint.flagged).count()
        assert f.received == reviewed == 7
        assert 0 <= f.responded_on_time_pct <= 100
        assert f.median_days_to_response is not None and f.median_days_to_resolution is not None
        empty = figures.unit_figures(desk["id"], datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
        assert empty.received == 0 and empty.resolved_on_time_pct is None


def test_handler_figures_count_what_the_handler_acted_on(app, desk):
    with database(app):
        f = figures.handler_figures(desk["handler_employee"], *YEAR)
        assert f.received == 4
        assert figures.handler_figures(-1, *YEAR).received == 0


def test_followed_up_is_short_and_anonymous(app, desk):
    with database(app):
        rows = figures.followed_up(desk["id"], limit=5)
        assert [r["state"] for r in rows] and {r["state"] for r in rows} <= {"dijawab", "selesai"}
        for row in rows:
            assert set(row) == {"what", "received_on", "resolved_on", "answer", "state", "unit"}
            assert "Sari" not in str(row) and "0812" not in str(row)
        assert len(figures.followed_up(desk["id"], limit=1)) == 1


def test_the_inbox_reads_the_same_number_of_queries_whatever_its_size(app, desk):
    with database(app):
        handler = User.get(User.username == desk["handler"])
        with counting_queries() as few:
            small = handling.inbox(handler, datetime.date(2026, 11, 24), "semua")
        template = Complaint.get(Complaint.service_unit == desk["id"])
        for n in range(30):
            Complaint.create(**{**template.__data__, "id": None, "code": f"X{n:09d}",
                                "submission_token": f"t{n}"})
        with counting_queries() as many:
            large = handling.inbox(handler, datetime.date(2026, 11, 24), "semua")
        assert len(large) == len(small) + 30 and len(many) == len(few)


def test_visibility_follows_the_desk(app, desk, accounts):
    with database(app):
        admin_opd = User.get(User.username == accounts["admin_opd"])
        sukamaju = desk["id"]
        dukcapil = ServiceUnit.get(ServiceUnit.code == "dukcapil").id
        assert sukamaju in handling.visible_units(admin_opd)
        assert dukcapil not in handling.visible_units(admin_opd)
        assert handling.visible_units(User.get(User.username == accounts["admin"])) is None
        assert handling.visible_units(User.get(User.username == desk["handler"])) == [sukamaju]
        ComplaintDesk.update(handler=None).execute()
        assert handling.visible_units(User.get(User.username == desk["handler"])) == []
