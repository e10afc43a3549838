"""Kept uploads are forgotten after their time by the clock that stamps the files."""
import os
import time

from kinerja.stores import kept


def _aged(path, seconds: float):
    path.write_bytes(b"x")
    stamp = path.stat().st_mtime - seconds
    os.utime(path, (stamp, stamp))
    return path


def test_a_file_older_than_the_limit_is_forgotten_and_a_newer_one_kept(tmp_path):
    old = _aged(tmp_path / "lama.csv", 2 * 24 * 3600)
    recent = _aged(tmp_path / "baru.csv", 3600)
    kept.forget_older_than(tmp_path, 24 * 3600)
    assert not old.exists() and recent.exists()


def test_a_host_clock_ahead_of_the_shared_folder_does_not_forget_a_fresh_upload(tmp_path, monkeypatch):
    # Two app servers share an NFS upload folder; this one's clock runs two days ahead.
    fresh = _aged(tmp_path / "baru.csv", 0)
    ahead = time.time() + 2 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: ahead)
    kept.forget_older_than(tmp_path, 24 * 3600)
    assert fresh.exists()
