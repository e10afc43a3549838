"""The demo people of the good-practice tests, looked up in the seeded regency."""
from dataclasses import dataclass

import pytest

from kinerja.models import Employee, Practice, User

from ..support.org import holder


@dataclass
class Cast:
    writer: Employee     # perawat of Puskesmas Sukamaju (the demo pegawai)
    colleague: Employee  # bidan of the same Puskesmas
    head: Employee       # Kepala UPTD Puskesmas Sukamaju: heads the writer's unit
    other_head: Employee  # Kepala UPTD Puskesmas Cibening: heads another unit
    opd_head: Employee   # Kepala Dinas Kesehatan: above the unit, not its head
    outsider: Employee   # a Disdukcapil employee
    waiting: Practice    # the demo practice submitted to the head
    archive: Practice    # the demo's published digital archive (Disdukcapil)
    vaccination: Practice  # the demo's published vaccination team (Puskesmas Sukamaju)

    def account(self, employee) -> User:
        return User.get(User.employee == employee.id)


@pytest.fixture
def cast(app):
    def titled(word):
        return Practice.get(Practice.title.contains(word))
    return Cast(writer=holder("Perawat Ahli Pertama"), colleague=holder("Bidan Terampil", 1),
                head=holder("Kepala UPTD Puskesmas Sukamaju"),
                other_head=holder("Kepala UPTD Puskesmas Cibening"),
                opd_head=holder("Kepala Dinas Kesehatan"),
                outsider=holder("Petugas Registrasi Kependudukan", 1),
                waiting=titled("hipertensi"), archive=titled("Arsip digital"),
                vaccination=titled("vaksinasi keliling"))
