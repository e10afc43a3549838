"""`flask backup` and `flask restore`: a restore drill on the demo regency."""
import io
import sqlite3
import tarfile
from pathlib import Path

import pytest

from kinerja.models import Employee, db

from ..support.app import login
from ..support import database

# `flask backup`/`restore` copy the SQLite file (online backup API) and refuse PostgreSQL,
# whose backups are pg_dump/pg_restore.
pytestmark = pytest.mark.sqlite_only("flask backup/restore menyalin berkas SQLite")


@pytest.fixture
def instance(app, tmp_path):
    key = Path(app.config["SECRET_KEY_FILE"])
    key.write_text("kunci-asli")
    return {"key": key, "uploads": Path(app.config["UPLOAD_DIR"]),
            "database": Path(app.config["DATABASE_URL"][len("sqlite:///"):])}


def _upload_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _first_employee(app):
    with database(app):
        employee = Employee.select().order_by(Employee.id).first()
        return employee.id, employee.name


def _backup(runner, tmp_path) -> Path:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    result = runner.invoke(args=["backup", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Cadangan dibuat" in result.output
    (archive,) = folder.glob("kinerja-*.tar.gz")
    return archive


def test_a_restore_brings_back_the_data_the_uploads_and_the_key(app, runner, client, accounts,
                                                                 instance, tmp_path):
    uploads_before = _upload_files(instance["uploads"])
    assert uploads_before, "the demo regency has evidence files to carry"
    employee_id, name = _first_employee(app)

    archive = _backup(runner, tmp_path)

    # The day after: a name changed by mistake, evidence lost, a new key.
    with database(app):
        Employee.update(name="SALAH KETIK").where(Employee.id == employee_id).execute()
    lost = next(p for p in instance["uploads"].rglob("*") if p.is_file())
    lost.unlink()
    instance["key"].write_text("kunci-baru")

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Dipulihkan" in result.output and "kunci rahasia" in result.output

    assert _first_employee(app) == (employee_id, name)
    assert _upload_files(instance["uploads"]) == uploads_before
    assert instance["key"].read_text() == "kunci-asli"
    # What was replaced is kept beside it, not deleted.
    kept = list(instance["database"].parent.glob("*.sebelum-pulih-*"))
    assert any(p.name.startswith("test.sqlite3.") for p in kept)
    assert any(p.name.startswith("secret_key.") and p.read_text() == "kunci-baru" for p in kept)

    # The restored regency serves: a demo account logs in and its data reads back.
    db.close()
    assert login(client, accounts["admin"]).status_code == 302
    page = client.get(f"/organisasi/pegawai/{employee_id}")
    assert page.status_code == 200
    assert name in page.get_data(as_text=True)


def test_check_reads_an_archive_without_touching_anything(app, runner, instance, tmp_path):
    archive = _backup(runner, tmp_path)
    before = instance["database"].stat().st_mtime_ns
    result = runner.invoke(args=["restore", str(archive), "--check"])
    assert result.exit_code == 0, result.output
    assert "Arsip baik" in result.output
    assert instance["database"].stat().st_mtime_ns == before


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with one member's bytes altered by `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def test_a_damaged_archive_is_refused_and_nothing_is_replaced(app, runner, instance, tmp_path):
    archive = _backup(runner, tmp_path)
    employee_id, name = _first_employee(app)

    def flip_a_byte(member, data):
        if member == "kinerja.sqlite3":
            return data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:]
        return data
    damaged = _rewrite(archive, tmp_path / "rusak.tar.gz", flip_a_byte)
    with database(app):
        Employee.update(name="SESUDAH CADANGAN").where(Employee.id == employee_id).execute()

    result = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code != 0
    assert "checksum" in result.output
    assert _first_employee(app) == (employee_id, "SESUDAH CADANGAN")
    assert instance["key"].read_text() == "kunci-asli"
    assert not list(instance["database"].parent.glob("*.sebelum-pulih-*"))


def test_a_file_that_is_not_a_backup_is_refused(runner, tmp_path):
    stranger = tmp_path / "foto.tar.gz"
    with tarfile.open(stranger, "w:gz") as tar:
        tar.add(__file__, arcname="../../etc/evil")
    result = runner.invoke(args=["restore", str(stranger), "--yes"])
    assert result.exit_code != 0
    assert "bukan cadangan Kinerja" in result.output

    (tmp_path / "teks.tar.gz").write_text("bukan arsip")
    result = runner.invoke(args=["restore", str(tmp_path / "teks.tar.gz"), "--yes"])
    assert result.exit_code != 0
    assert "tidak dapat dibaca" in result.output


def test_a_backup_taken_while_a_write_is_open_holds_the_committed_state(app, runner, instance,
                                                                         tmp_path):
    employee_id, name = _first_employee(app)
    # Another worker in the middle of a write: its change is not committed yet.
    writer = sqlite3.connect(instance["database"])
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE employee SET name = 'BELUM DISIMPAN' WHERE id = ?", (employee_id,))
    try:
        archive = _backup(runner, tmp_path)
    finally:
        writer.rollback()
        writer.close()
    with tarfile.open(archive) as tar:
        tar.extract("kinerja.sqlite3", tmp_path / "isi", filter="data")
    row = sqlite3.connect(tmp_path / "isi" / "kinerja.sqlite3").execute(
        "SELECT name FROM employee WHERE id = ?", (employee_id,)).fetchone()
    assert row == (name,)
