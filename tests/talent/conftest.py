"""The people of the talent tests, looked up in the demo regency."""
from dataclasses import dataclass

import pytest

from kinerja.models import Employee

from ..support import database
from ..support.org import holder


@dataclass
class People:
    head_dinkes: Employee       # Kepala Dinas Kesehatan: heads an OPD (the demo Atasan)
    head_bkpsdm: Employee       # Kepala BKPSDM: heads another OPD
    bidan: Employee             # Bidan Terampil with an approved plan (functional)
    perawat: Employee           # the demo pegawai (functional, heads nothing)
    penilai: Employee           # Kepala UPTD Puskesmas Sukamaju: the bidan's Pejabat Penilai
    adminduk: Employee          # a functional employee of Dinas Dukcapil


@pytest.fixture
def people(app):
    with database(app):
        return People(head_dinkes=holder("Kepala Dinas Kesehatan"),
                      head_bkpsdm=holder("Kepala BKPSDM"),
                      bidan=holder("Bidan Terampil", 1), perawat=holder("Perawat Ahli Pertama"),
                      penilai=holder("Kepala UPTD Puskesmas Sukamaju"),
                      adminduk=holder("Administrator Database Kependudukan Ahli Pertama"))
