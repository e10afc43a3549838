"""The demo cast of the evaluation tests, looked up in the seeded regency, and small helpers."""
import io
from dataclasses import dataclass

from openpyxl import load_workbook

from kinerja.models import Employee, Evaluation, Evidence, Indicator, ProgressEntry, Rhk, Skp, User
from kinerja.rules import evaluation as rules

from .app import TODAY, login
from .org import fresh, holder

YEAR = TODAY.year
CURRENT = rules.period_of(TODAY, "triwulanan").number
LAST = CURRENT - 1
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class Cast:
    penilai: Employee     # Kepala UPTD Puskesmas Sukamaju, the demo Pejabat Penilai
    atasan: Employee      # Kepala Dinas Kesehatan, the demo Atasan (and head of the OPD)
    worker: Employee      # approved plan under the penilai; Q3 waiting, Q4 free to fill in
    objector: Employee    # approved plan under the penilai; Q3 under an open objection
    planless: Employee    # the demo pegawai: no approved plan this year


def demo_cast() -> Cast:
    penilai = holder("Kepala UPTD Puskesmas Sukamaju")
    team = [s.employee_id for s in Skp.select().where(
        (Skp.year == YEAR) & (Skp.status == "approved") & (Skp.appraiser == penilai.id))
        .order_by(Skp.employee)]
    return Cast(penilai=penilai, atasan=holder("Kepala Dinas Kesehatan"),
                worker=Employee.get_by_id(team[0]), objector=Employee.get_by_id(team[1]),
                planless=holder("Perawat Ahli Pertama"))


def as_employee(client, employee):
    client.post("/keluar")
    response = login(client, employee.nip)
    assert response.status_code == 302, response.data[:300]
    return client


def as_user(client, username):
    client.post("/keluar")
    assert login(client, username).status_code == 302
    return client


def evaluation_of(employee, number, kind="periodic"):
    return Evaluation.get_or_none((Evaluation.employee == employee.id) & (Evaluation.year == YEAR)
                                  & (Evaluation.kind == kind) & (Evaluation.number == number))


def upload(data=PDF, name="bukti.pdf"):
    return (io.BytesIO(data), name)


def make_admin_opd(unit_code: str, username: str) -> str:
    from kinerja.models import Unit
    from kinerja.security import _fast_hasher
    from kinerja.demo import DEMO_PASSWORD
    User.create(username=username, password_hash=_fast_hasher.hash(DEMO_PASSWORD), role="admin_opd",
                scope_unit=Unit.get(Unit.code == unit_code).id, must_change_password=False)
    return username


def first_indicator(employee):
    skp = Skp.approved_for(employee.id, YEAR)
    return (Indicator.select().join(Rhk).where((Rhk.skp == skp.id) & (Indicator.aspect == "kuantitas"))
            .order_by(Rhk.kind.desc(), Rhk.order, Indicator.order).first())


def record(client, ind, **extra):
    data = {"indicator": str(ind.id), "day": TODAY.isoformat(), "description": "Melayani pasien",
            "quantity": "3"}
    data.update(extra)
    return client.post("/kinerja/progres", data=data, content_type="multipart/form-data")

def file_evidence_of(employee):
    return (Evidence.select().join(ProgressEntry)
            .where((ProgressEntry.employee == employee.id) & (Evidence.kind == "file")).first())

def own_url(number, slug="periodik"):
    return f"/kinerja/evaluasi/{YEAR}/{slug}/{number}"

def rate_url(ev, what="nilai"):
    return f"/kinerja/evaluasi/{ev.id}/{what}"

def approve(client, ev, penilai, result="meets", behaviour="meets"):
    as_employee(client, penilai)
    client.post(rate_url(ev), data={"action": "approve", "result_rating": result,
                                    "behaviour_rating": behaviour})
    return fresh(ev)

def recap_rows(response):
    book = load_workbook(io.BytesIO(response.data))
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
