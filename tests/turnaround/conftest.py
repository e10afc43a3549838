"""Fixtures of the turnaround tests: the Disdukcapil counter of the demo regency."""
from dataclasses import dataclass

import pytest

from kinerja.models import Employee, Unit

from ..support.evaluation import make_admin_opd
from ..support.org import holder, unit


@dataclass
class Cast:
    counter: Unit           # Bidang Pelayanan Pendaftaran Penduduk: standards and a log
    petugas: Employee       # a handler with documents this year
    head: Employee          # Kepala Disdukcapil, head of the OPD
    kabid: Employee         # heads the counter's bidang, not an OPD
    nurse: Employee         # another OPD's pegawai
    admin_dukcapil: str     # admin OPD of Disdukcapil
    admin_dinkes: str       # admin OPD of Dinas Kesehatan (the demo admin OPD)


@pytest.fixture
def cast(app, accounts):
    return Cast(counter=unit("DISDUKCAPIL-DAFDUK"),
                petugas=holder("Petugas Registrasi Kependudukan"),
                head=holder("Kepala Dinas Kependudukan dan Pencatatan Sipil"),
                kabid=holder("Kepala Bidang Pelayanan Pendaftaran Penduduk"),
                nurse=holder("Perawat Ahli Pertama"),
                admin_dukcapil=make_admin_opd("DISDUKCAPIL", "admin-dukcapil"),
                admin_dinkes=accounts["admin_opd"])
