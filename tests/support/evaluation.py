"""The demo cast of the evaluation tests, looked up in the seeded regency, and small helpers."""
import io
from dataclasses import dataclass

from kinerja.models import Employee, Evaluation, Skp, User

from .app import TODAY, login
from .org import holder

YEAR = TODAY.year
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
