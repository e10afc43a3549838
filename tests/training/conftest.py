"""Fixtures of the training tests: the demo cast, looked up in the seeded regency."""
from dataclasses import dataclass

import pytest

from kinerja.models import Employee, TrainingRecord

from ..support.org import holder, position


@dataclass
class Cast:
    nurse: Employee       # the demo pegawai: 12 JP this year, two records of her own
    colleague: Employee   # another nurse of the same Puskesmas
    penilai: Employee     # Kepala UPTD Puskesmas Sukamaju, the nurses' Pejabat Penilai
    other_penilai: Employee  # Kepala UPTD Puskesmas Cibening
    atasan: Employee      # Kepala Dinas Kesehatan

    def own_record(self) -> TrainingRecord:
        return (TrainingRecord.select().where((TrainingRecord.employee == self.nurse.id)
                                              & (TrainingRecord.source == "manual"))
                .order_by(TrainingRecord.id).first())

    def imported_record(self) -> TrainingRecord:
        return (TrainingRecord.select().where((TrainingRecord.employee == self.nurse.id)
                                              & (TrainingRecord.source == "impor")).first())


@pytest.fixture
def cast(app):
    return Cast(nurse=holder("Perawat Ahli Pertama"), colleague=(Employee.select().where(Employee.position == position("Perawat Ahli Pertama"))
                           .order_by(Employee.id).offset(1).first()),
                penilai=holder("Kepala UPTD Puskesmas Sukamaju"),
                other_penilai=holder("Kepala UPTD Puskesmas Cibening"),
                atasan=holder("Kepala Dinas Kesehatan"))
