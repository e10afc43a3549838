"""A store re-reads state inside its transaction, then writes: that must work while other
workers commit in between (SQLite: the transaction takes the write lock when it begins)."""
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from kinerja.models import Employee, db

from ..support import database

# Opens the .sqlite3 file with sqlite3 as a second worker: a test of SQLite's write lock
# (BEGIN IMMEDIATE). PostgreSQL locks rows, not the file.
pytestmark = pytest.mark.sqlite_only("menguji kunci tulis berkas SQLite (BEGIN IMMEDIATE)")


# Under libfaketime (make test-dates) a second SQLite connection in the same process never sees
# the first one's lock released and gives up after its busy timeout; with the lock held by
# another process it waits as it should. Nothing here depends on the date.
@pytest.mark.skipif(bool(os.environ.get("FAKETIME")),
                    reason="libfaketime mengganggu tunggu kunci SQLite di dalam satu proses")
def test_a_write_after_a_read_in_one_transaction_survives_another_workers_commit(app):
    path = Path(app.config["DATABASE_URL"][len("sqlite:///"):])
    read_done, other_tried = threading.Event(), threading.Event()
    errors = []

    def other_worker():
        read_done.wait(5)
        connection = sqlite3.connect(path, timeout=10)
        try:
            threading.Timer(0.3, other_tried.set).start()
            connection.execute("UPDATE employee SET name = 'PEKERJA LAIN' WHERE id = "
                               "(SELECT max(id) FROM employee)")
            connection.commit()
        except sqlite3.Error as exc:
            errors.append(exc)
        finally:
            other_tried.set()
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    with database(app):
        first = Employee.select().order_by(Employee.id).first()
        with db.atomic():
            Employee.get_by_id(first.id)          # the re-read inside the transaction
            read_done.set()
            other_tried.wait(5)                    # the other worker commits (or queues) now
            Employee.update(name="DIUBAH DI TRANSAKSI").where(Employee.id == first.id).execute()
        thread.join(10)
        assert not errors
        assert Employee.get_by_id(first.id).name == "DIUBAH DI TRANSAKSI"
        last = Employee.select().order_by(Employee.id.desc()).first()
        assert last.name == "PEKERJA LAIN"
