"""Fixtures of the attendance tests: the demo cast and files to import."""
import datetime
from dataclasses import dataclass

import pytest

from kinerja.models import Employee, User
from kinerja.spreadsheets import read_rows

from ..support.org import holder, position, unit


@dataclass
class Cast:
    nurse: Employee        # the demo pegawai, Puskesmas Sukamaju (Dinas Kesehatan)
    colleague: Employee    # another nurse of the same Puskesmas
    penilai: Employee      # Kepala UPTD Puskesmas Sukamaju
    outsider: Employee     # someone of Dinas Pendidikan
    admin_opd: User        # admin.dinkes
    admin: User            # BKPSDM


def csv_file(lines) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def sheet(lines):
    return read_rows("presensi.csv", csv_file(lines))


@pytest.fixture
def cast(app):
    return Cast(nurse=holder("Perawat Ahli Pertama"), colleague=(Employee.select().where(Employee.position == position("Perawat Ahli Pertama"))
                           .order_by(Employee.id).offset(1).first()),
                penilai=holder("Kepala UPTD Puskesmas Sukamaju"),
                outsider=holder("Kepala Dinas Pendidikan"),
                admin_opd=User.get(User.username == "admin.dinkes"),
                admin=User.get(User.role == "admin"))


@pytest.fixture
def dinkes(app):
    return unit("DINKES")


D = datetime.date
