"""The organisation side: the organisation predikat of an OPD, the distribution of employee
predikat against its caps, and the recap of a unit's evaluations."""
from peewee import JOIN, fn

from ...models import AuditLog, Employee, Evaluation, OrgPerformance, Position, Setting, Unit, db, snapshot, utcnow
from ...rules import curve as curve_rules
from ...rules import evaluation as rules
from ...rules.org import tree_order
from ...spreadsheets import xlsx_bytes
from .. import exports
from .access import head_of
from .periods import period_or_annual

RECAP_HEADERS = ["NIP", "Nama", "Jabatan", "Unit kerja", "Periode", "Status",
                 "Rating Hasil Kerja", "Rating Perilaku Kerja", "Predikat", "Tanggal ditetapkan",
                 "Keberatan"]


def org_predikat(unit_id, year: int) -> OrgPerformance | None:
    """The organisation predikat of the OPD holding this unit."""
    if not unit_id:
        return None
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        return None
    return OrgPerformance.get_or_none((OrgPerformance.unit == unit.opd_id) & (OrgPerformance.year == year))


def set_org_predikat(user, opd, year: int, predikat: str, note: str):
    with db.atomic():
        row = OrgPerformance.get_or_none((OrgPerformance.unit == opd.id) & (OrgPerformance.year == year))
        before = snapshot(row, ["predikat", "note"]) if row else None
        if row is None:
            row = OrgPerformance(unit=opd.id, year=year)
        row.predikat, row.note, row.set_by, row.set_at = predikat, note, user.id, utcnow()
        row.save()
        AuditLog.record(user, "update" if before else "create", "org_performance", row.id,
                        f"Predikat organisasi {opd.name} {year}: {rules.ORG_PREDIKATS[predikat]}",
                        before=before, after=snapshot(row, ["predikat", "note"]), unit=opd.id)
    return row


def curve_caps() -> dict:
    return curve_rules.caps_from_json(Setting.get_value(curve_rules.CAPS_SETTING))


def _in_force(year: int, kind: str, number: int):
    return ((Evaluation.year == year) & (Evaluation.kind == kind) & (Evaluation.number == number)
            & Evaluation.status.in_(rules.WITH_PREDIKAT) & Evaluation.predikat.is_null(False))


def distribution(opd, year: int, kind: str, number: int) -> dict[str, int]:
    """Counts of employee predikat in force in an OPD for a period; one aggregate query."""
    rows = (Evaluation.select(Evaluation.predikat, fn.COUNT(Evaluation.id))
            .join(Unit, on=(Evaluation.unit == Unit.id))
            .where(Unit.within(opd) & _in_force(year, kind, number))
            .group_by(Evaluation.predikat).tuples())
    counts = {key: 0 for key in rules.PREDIKATS}
    for key, n in rows:
        if key in counts:
            counts[key] = n
    return counts


def curve(opd, year: int, kind: str, number: int, with_head: bool = True) -> dict:
    """What the curve of an OPD shows: the organisation predikat, the counts and shares of
    employee predikat, the caps that apply and where they are broken, the head of the OPD
    (left out where the page names nobody: it costs a walk of the OPD's top positions)."""
    org = org_predikat(opd.id, year)
    counts = distribution(opd, year, kind, number)
    total = sum(counts.values())
    caps = curve_caps()
    return {
        "org": org, "counts": counts, "total": total,
        "shares": {k: (v * 100 / total if total else 0) for k, v in counts.items()},
        "warnings": curve_rules.curve_warnings(counts, org.predikat if org else None, caps),
        "caps": caps.get(org.predikat, ()) if org else (),
        "cap_lines": curve_rules.describe_caps(caps.get(org.predikat, ())) if org else [],
        "head": head_of(opd) if with_head else None,
    }


def opd_overview(year: int, kind: str, number: int, scope=None) -> list:
    """Per OPD: the organisation predikat, the employee predikat counts and the warnings."""
    opds = list(Unit.opds() if scope is None else Unit.select().where(
        (Unit.id == scope.id) & Unit.active))
    orgs = {o.unit_id: o for o in OrgPerformance.select().where(OrgPerformance.year == year)}
    # Grouped by unit, then folded into OPDs through the unit paths: portable SQL, and
    # three queries whatever the number of units.
    opd_of = {uid: Unit.path_ids(path)[0]
              for uid, path in Unit.select(Unit.id, Unit.path).tuples() if Unit.path_ids(path)}
    counts = {}
    for unit_id, key, n in (Evaluation.select(Evaluation.unit, Evaluation.predikat,
                                              fn.COUNT(Evaluation.id))
                            .where(_in_force(year, kind, number))
                            .group_by(Evaluation.unit, Evaluation.predikat).tuples()):
        opd_counts = counts.setdefault(opd_of.get(unit_id), {})
        opd_counts[key] = opd_counts.get(key, 0) + n
    caps = curve_caps()
    rows = []
    for opd in opds:
        org, opd_counts = orgs.get(opd.id), counts.get(opd.id, {})
        rows.append((opd, org, opd_counts,
                     curve_rules.curve_warnings(opd_counts, org.predikat if org else None, caps)))
    return rows


def report_units(scope) -> list[tuple]:
    """(unit, depth) of the active units at or under `scope` (every one for None), in tree order."""
    query = Unit.select().where(Unit.active)
    if scope is not None:
        query = query.where(Unit.within(scope))
    return tree_order(list(query))


def recap_rows(unit, year: int, kind: str, number: int) -> list:
    """Every active employee of the unit (and sub-units) with their evaluation of the period:
    plain tuples (nip, full name, position, unit, status, result, behaviour, predikat,
    approved_at), since a large OPD has thousands of rows."""
    ev = Evaluation.alias("ev")
    query = (Employee.select(Employee.nip, Employee.name, Employee.title_front, Employee.title_back,
                             Position.name, Unit.name, ev.status, ev.result_rating,
                             ev.behaviour_rating, ev.predikat, ev.approved_at)
             .join(Position, JOIN.LEFT_OUTER, on=(Employee.position == Position.id))
             .switch(Employee).join(Unit, on=(Employee.unit == Unit.id))
             .switch(Employee).join(ev, JOIN.LEFT_OUTER, on=(
                 (ev.employee == Employee.id) & (ev.year == year) & (ev.kind == kind)
                 & (ev.number == number)))
             .where(Unit.within(unit) & Employee.active)
             .order_by(Unit.path, Employee.name))
    return [(nip, Employee(name=name, title_front=front, title_back=back).full_name, position or "",
             unit_name, *rest) for nip, name, front, back, position, unit_name, *rest in query.tuples()]


def recap_sheet(unit, period) -> list[list]:
    """The recap of a period as spreadsheet rows under RECAP_HEADERS: ratings and predikat
    only where they are in force."""
    rows = []
    for nip, name, position, unit_name, status, result, behaviour, predikat, approved_at in \
            recap_rows(unit, period.year, period.kind, period.number):
        shown = status in rules.WITH_PREDIKAT
        rows.append([
            nip, name, position, unit_name, period.label,
            rules.STATES.get(status, status) if status else "Belum diisi",
            rules.rating_label(result) if shown else "",
            rules.rating_label(behaviour) if shown else "",
            rules.predikat_label(predikat) if shown else "",
            approved_at.date() if shown and approved_at else None,
            {"objected": "Menunggu keputusan", "decided": "Diputuskan"}.get(status, ""),
        ])
    return rows


@exports.builder("regency_recap")
def regency_recap(params: dict, progress) -> tuple[bytes, str]:
    """The recap of every OPD for one period, one sheet, OPD after OPD (the progress)."""
    exports.requester(params, lambda actor: actor.role == "admin",
                      "/kinerja/rekap")
    period = period_or_annual(params["year"], params["kind"], params["number"])
    opds = list(Unit.opds())
    rows = []
    for done, opd in enumerate(opds, start=1):
        rows += recap_sheet(opd, period)
        progress(done, len(opds) + 1)
    data = xlsx_bytes({f"Evaluasi {period.label}"[:31]: (RECAP_HEADERS, rows)})
    return data, f"rekap-evaluasi-kabupaten-{period.label.lower().replace(' ', '-')}.xlsx"
