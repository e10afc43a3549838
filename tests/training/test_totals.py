"""The stored yearly JP (TrainingYearTotal) follows every change of the records — a new record,
an edit (one that moves it to another year too), a deletion, an import — and the 20 JP recap
read from it shows the same figures as summing the records would."""
import datetime
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from peewee import fn
from playhouse.migrations import Runner

from kinerja import create_app
from kinerja.models import Employee, TrainingRecord, TrainingYearTotal, Unit, User, db
from kinerja.rules import DomainError
from kinerja.rules import training as rules
from kinerja.schema import MIGRATIONS, migrate
from kinerja.spreadsheets import read_rows
from kinerja.stores.training import imports, records, summary, totals

from ..support import counting_queries, database, postgres
from ..support.app import TODAY
from ..support.evaluation import as_user
from ..support.org import unit
from .test_import import good_row, sheet

YEAR = TODAY.year


def admin():
    return User.get(User.username == "admin")


def values(ends: datetime.date, hours: int, title: str = "Pelatihan Uji") -> dict:
    return {"title": title, "kind": "seminar", "organiser": "", "starts": ends, "ends": ends,
            "hours": hours}


def summed(employee_ids=None) -> dict[tuple, int]:
    """{(employee, year): JP} summed afresh from the records."""
    query = (TrainingRecord.select(TrainingRecord.employee, TrainingRecord.year,
                                   fn.SUM(TrainingRecord.hours))
             .group_by(TrainingRecord.employee, TrainingRecord.year))
    if employee_ids is not None:
        query = query.where(TrainingRecord.employee.in_(list(employee_ids)))
    return {(who, year): int(jp) for who, year, jp in query.tuples()}


def stored(employee_ids=None) -> dict[tuple, int]:
    query = TrainingYearTotal.select(TrainingYearTotal.employee, TrainingYearTotal.year,
                                     TrainingYearTotal.jp)
    if employee_ids is not None:
        query = query.where(TrainingYearTotal.employee.in_(list(employee_ids)))
    return {(who, year): jp for who, year, jp in query.tuples()}


def test_the_demo_regency_starts_with_totals_equal_to_its_records(app):
    assert stored() == summed() != {}


def test_totals_follow_a_new_record_an_edit_across_years_and_a_deletion(app, cast, tmp_path):
    who = cast.colleague
    before = summary.year_total(who.id, YEAR)
    record = records.add_record(admin(), who, values(datetime.date(YEAR, 3, 2), 9), TODAY,
                                upload_dir=tmp_path)
    assert summary.year_total(who.id, YEAR) == before + 9
    records.update_record(admin(), who, record.id, values(datetime.date(YEAR, 3, 2), 14), TODAY,
                          upload_dir=tmp_path)
    assert summary.year_total(who.id, YEAR) == before + 14
    # Moved to a year without any other record: counted there, and gone from this one.
    older = datetime.date(YEAR - 3, 8, 17)
    records.update_record(admin(), who, record.id, values(older, 14), TODAY, upload_dir=tmp_path)
    assert summary.year_total(who.id, YEAR) == before
    assert summary.year_total(who.id, YEAR - 3) == 14
    assert stored([who.id]) == summed([who.id])
    records.delete_record(admin(), who, record.id, tmp_path)
    assert summary.year_total(who.id, YEAR - 3) == 0
    assert (who.id, YEAR - 3) not in stored([who.id])  # no record that year: no row
    assert summary.totals_for([who.id], YEAR - 3) == {}
    assert stored([who.id]) == summed([who.id])


def test_a_refused_change_leaves_the_total(app, cast, tmp_path):
    imported = cast.imported_record()
    before = stored([cast.nurse.id])
    with pytest.raises(DomainError):
        records.update_record(admin(), cast.nurse, imported.id,
                              values(datetime.date(YEAR, 1, 3), 40), TODAY, upload_dir=tmp_path)
    assert stored([cast.nurse.id]) == before == summed([cast.nurse.id])


def test_an_import_brings_every_total_up_to_date(app, cast):
    people = [cast.nurse, cast.colleague]
    before = {p.id: summary.year_total(p.id, 2026) for p in people}
    headers, rows = read_rows("pelatihan.xlsx", sheet(
        good_row(cast.nurse), good_row(cast.colleague, hours=8),
        good_row(cast.colleague, title="Pelatihan Lain", hours=3)))
    plan, written = imports.confirm_import(admin(), headers, rows, None, TODAY, "pelatihan.xlsx")
    assert not plan.bad and written == 3
    assert summary.year_total(cast.nurse.id, 2026) == before[cast.nurse.id] + 24
    assert summary.year_total(cast.colleague.id, 2026) == before[cast.colleague.id] + 11
    assert stored([p.id for p in people]) == summed([p.id for p in people])


def test_rebuild_sums_everything_again(app, cast):
    TrainingRecord.insert_many([
        dict(employee=cast.colleague.id, title=f"Impor {i}", kind="seminar", starts=TODAY,
             ends=TODAY, year=YEAR, hours=1, source="impor") for i in range(3)]).execute()
    TrainingYearTotal.update(jp=999).where(TrainingYearTotal.employee == cast.nurse.id).execute()
    assert stored() != summed()
    assert totals.rebuild() == len(summed())
    assert stored() == summed()


# --- Two people writing records of the same person and year at the same instant --------------

def test_two_records_written_at_once_are_both_counted(app, cast, tmp_path, monkeypatch):
    """Both records are written before either total is summed (the pause): whichever sums
    last must count the other's record too."""
    refresh = totals.refresh

    def paused(pairs):
        time.sleep(0.05)
        refresh(pairs)
    monkeypatch.setattr(totals, "refresh", paused)
    who, actor = cast.colleague, admin()
    db.close()
    for round_ in range(6):
        start = threading.Barrier(2)
        failures = []

        def write(hours):
            with database(app):
                start.wait(5)
                try:
                    records.add_record(actor, who, values(datetime.date(YEAR, 4, 1), hours,
                                                          f"Diklat {round_}-{hours}"),
                                       TODAY, upload_dir=tmp_path)
                except Exception as failure:  # noqa: BLE001 - reported below
                    failures.append(failure)
        threads = [threading.Thread(target=write, args=(hours,)) for hours in (3, 5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not failures
    with database(app):
        assert stored([who.id]) == summed([who.id])
        assert TrainingRecord.select().where(TrainingRecord.employee == who.id,
                                             TrainingRecord.title.startswith("Diklat ")).count() == 12


# --- Random changes, the stored total always the fresh sum ------------------------------------

_day = st.dates(min_value=datetime.date(YEAR - 2, 1, 1), max_value=TODAY)
_hours = st.integers(min_value=1, max_value=rules.MAX_JP)
_operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 2), _day, _hours),
    st.tuples(st.just("edit"), st.integers(0, 50), _day, _hours),
    st.tuples(st.just("delete"), st.integers(0, 50)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(_operation, min_size=1, max_size=8))
def test_random_changes_keep_every_total_equal_to_the_sum(app, cast, tmp_path, operations):
    people = [cast.colleague, cast.penilai, cast.atasan]
    ids = [p.id for p in people]
    actor = admin()
    for operation in operations:
        own = list(TrainingRecord.select().where(TrainingRecord.employee.in_(ids)
                                                 & (TrainingRecord.source == "manual"))
                   .order_by(TrainingRecord.id))
        if operation[0] == "add":
            _, index, ends, hours = operation
            records.add_record(actor, people[index], values(ends, hours), TODAY, upload_dir=tmp_path)
        elif own and operation[0] == "edit":
            _, pick, ends, hours = operation
            record = own[pick % len(own)]
            owner = next(p for p in people if p.id == record.employee_id)
            records.update_record(actor, owner, record.id, values(ends, hours), TODAY,
                                  upload_dir=tmp_path)
        elif own and operation[0] == "delete":
            record = own[operation[1] % len(own)]
            owner = next(p for p in people if p.id == record.employee_id)
            records.delete_record(actor, owner, record.id, tmp_path)
        assert stored(ids) == summed(ids)
    for year in range(YEAR - 2, YEAR + 1):
        fresh = {who: jp for (who, y), jp in summed(ids).items() if y == year}
        assert summary.totals_for(ids, year) == fresh
        assert [summary.year_total(i, year) for i in ids] == [fresh.get(i, 0) for i in ids]


# --- The recap's figures, as summing the records gives them --------------------------------------

def _expected(scope, year):
    """(per OPD id: [employees, below], {employee id: JP} of those below) from the records."""
    sums = {who: jp for (who, y), jp in summed().items() if y == year}
    query = (Employee.select(Employee.id, Unit.path).join(Unit, on=(Employee.unit == Unit.id))
             .where(Employee.active))
    if scope is not None:
        query = query.where(Unit.path.startswith(scope.path))
    per_opd, below = {}, {}
    for who, path in query.tuples():
        tally = per_opd.setdefault(Unit.path_ids(path)[0], [0, 0])
        tally[0] += 1
        if sums.get(who, 0) < rules.YEARLY_JP:
            tally[1] += 1
            below[who] = sums.get(who, 0)
    return per_opd, below


def _check_recap(scope, year, opd=None):
    counts = summary.opd_counts(scope, year)
    per_opd, below = _expected(scope, year)
    assert {c.opd.id: [c.employees, c.below] for c in counts} == per_opd
    page = summary.below_page(scope, year, opd, 1, 100000)
    if opd is not None:
        inside = {e.id for e in Employee.select(Employee.id).join(Unit, on=(Employee.unit == Unit.id))
                  .where(Unit.path.startswith(opd.path))}
        below = {who: jp for who, jp in below.items() if who in inside}
    assert {e.id: int(e.jp_total or 0) for e in page.items} == below
    assert page.total == len(below)
    jps = [int(e.jp_total or 0) for e in page.items]
    assert jps == sorted(jps)
    # The count read from opd_counts is the count of the list itself.
    spared = summary.below_page(scope, year, opd, 2, 25, counts=counts)
    counted = summary.below_page(scope, year, opd, 2, 25)
    assert (spared.total, spared.pages, [e.id for e in spared.items]) == \
        (counted.total, counted.pages, [e.id for e in counted.items])
    rows = summary.below_rows(scope, year, opd)
    assert sorted(r[5] for r in rows) == sorted(below.values())


def test_the_recap_shows_what_summing_the_records_gives(app, cast, tmp_path):
    records.add_record(admin(), cast.colleague, values(datetime.date(YEAR, 2, 1), 25), TODAY,
                       upload_dir=tmp_path)
    dinkes = unit("DINKES")
    sub_unit = Unit.get(Unit.id == cast.nurse.unit_id)
    assert sub_unit.parent_id is not None
    for scope, opd in ((None, None), (None, dinkes), (None, sub_unit), (dinkes, None),
                       (dinkes, dinkes), (dinkes, sub_unit)):
        _check_recap(scope, YEAR, opd)
    _check_recap(None, YEAR - 1)
    _check_recap(None, YEAR + 5)  # a year without a record: everyone below


def test_the_recap_counts_its_list_once(client, cast, accounts):
    as_user(client, accounts["admin"])
    with counting_queries() as statements:
        assert client.get("/pengembangan/rekap").status_code == 200
    assert not any("training_record" in sql for sql in statements)
    assert sum("training_year_total" in sql for sql in statements) == 2


# --- The migration fills the table from the records already stored ---------------------------

def test_the_migration_fills_the_totals_from_stored_records(tmp_path):
    url = (postgres.server().create() if postgres.enabled()
           else f"sqlite:///{tmp_path / 'old.sqlite3'}")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": url})
    with app.app_context():
        db.connect(reuse_if_open=True)
        applied = Runner(db.obj, str(MIGRATIONS)).up(target="0026_turnaround")
        assert applied[-1] == "0026_turnaround"
        assert "training_year_total" not in db.get_tables()
        opd = Unit.create(code="OPD", name="Dinas Contoh", path="/1/")
        a = Employee.create(nip="198001012005011001", name="Ani", unit=opd.id)
        b = Employee.create(nip="198001012005011002", name="Budi", unit=opd.id)
        for who, ends, hours in ((a, datetime.date(2025, 12, 30), 8), (a, datetime.date(2026, 1, 2), 6),
                                 (a, datetime.date(2026, 5, 1), 4), (b, datetime.date(2026, 5, 1), 24)):
            TrainingRecord.create(employee=who.id, title="Diklat", kind="klasikal", starts=ends,
                                  ends=ends, year=ends.year, hours=hours)
        assert migrate()[0] == "0027_training_year_totals"
        assert stored() == summed() == {(a.id, 2025): 8, (a.id, 2026): 10, (b.id, 2026): 24}
        assert migrate() == []
        db.close()
