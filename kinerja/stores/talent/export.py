"""The talent map as a workbook for the talent committee (Baperjakat): the placed, box by
box, then those not placed with the reason. One OPD's is made in the request; the whole
regency's by the worker (stores/exports.py, kind "talent_map"), which checks again, when it
runs, that the one who asked may still see that map."""
from ...models import Unit
from ...rules import talent as rules
from ...rules.evaluation import predikat_label
from ...spreadsheets import xlsx_bytes
from .. import exports
from ..evaluation import access
from . import placement, settings

KIND = "talent_map"
# The worker has no request to build addresses from: the map's own.
MAP_PAGE = "/talenta/"


def workbook(year: int, opd: Unit | None = None, exclude_id: int | None = None,
             progress=None) -> tuple[bytes, str]:
    """(the XLSX, its file name) of the map of `year` for `opd` (the regency when None)."""
    progress = progress or (lambda done, total: None)
    talent = placement.talent_map(year, opd, exclude_id=exclude_id)
    progress(1, 4)
    labels = settings.box_labels()
    everyone = placement.describe(talent.people, year)
    progress(2, 4)
    placed = sorted((p for p in everyone if p.box), key=lambda p: (-p.box, p.name))
    unplaced = [[p.nip, p.name, p.position, p.unit, p.why_not] for p in everyone if not p.box]
    headers = ["Kotak", "Keterangan", "Kelompok rencana suksesi", "NIP", "Nama", "Jabatan",
               "Unit kerja", f"Predikat {year - 1}", f"Predikat {year}", "Kinerja", "Potensial",
               "Skor potensial", "Sumber asesmen", "Tanggal asesmen"]
    rows = [[p.box, labels[p.box], "Ya" if p.box in rules.TALENT_POOL else "Tidak", p.nip,
             p.name, p.position, p.unit, _predikat(p, year - 1), _predikat(p, year),
             rules.PERFORMANCE[p.performance], p.potential.level_label,
             float(p.potential.score) if p.potential.score is not None else "",
             p.potential.source, p.potential.assessed_on] for p in placed]
    body = xlsx_bytes({"Peta talenta": (headers, rows),
                       "Belum terpetakan": (["NIP", "Nama", "Jabatan", "Unit kerja", "Alasan"],
                                            unplaced)})
    progress(3, 4)
    return body, f"peta-talenta-{year}{'-' + opd.code.lower() if opd else ''}.xlsx"


def _predikat(person, year) -> str:
    return predikat_label(person.predikats.get(year)) if person.predikats.get(year) else "-"


def title(year: int, opd: Unit | None) -> str:
    return f"Peta talenta {year} — {opd.name if opd else 'seluruh kabupaten'} (Baperjakat)"


def params(actor, year: int, opd: Unit | None) -> dict:
    return {"owner": actor.id, "year": year, "opd": opd.id if opd else None}


def checked_scope(owner_id: int, opd_id: int | None) -> tuple[Unit | None, int | None]:
    """(the OPD, the employee left out) of a map the account `owner_id` may still export,
    checked as the map page checks (rules.talent.map_view); Refused with the reason
    otherwise."""
    actor = exports.requester({"owner": owner_id}, lambda actor: True, MAP_PAGE)
    employee = actor.employee if actor.employee_id else None
    headed = access.opd_headed_by(employee) if actor.role != "admin" else None
    view, reason = rules.map_view(actor.role, headed is not None, settings.own_box_visible())
    opd = Unit.get_or_none((Unit.id == opd_id) & Unit.parent.is_null()) if opd_id else None
    if opd_id and opd is None:
        raise exports.Refused("OPD yang diminta tidak ada lagi.", MAP_PAGE)
    if view == rules.REGENCY:
        return opd, None
    if view == rules.OPD and opd is not None and opd.id == headed.id:
        return opd, employee.id
    raise exports.Refused(reason or "Akun yang meminta ekspor ini tidak lagi berhak melihat "
                                    "peta talenta tersebut.", MAP_PAGE)


@exports.builder(KIND)
def build(params: dict, progress) -> tuple[bytes, str]:
    """The worker's side: the rights checked again, then the workbook."""
    opd, exclude_id = checked_scope(params["owner"], params.get("opd"))
    return workbook(int(params["year"]), opd, exclude_id, progress)
