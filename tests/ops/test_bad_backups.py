"""What must never happen to a backup: a damaged or foreign file restored, a killed backup looking complete,
a full disk eating the previous backups."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from tests.ops.support import PUSTAKA, cli, env_for, manifest_of


@pytest.fixture(scope="module")
def good(live, tmp_path_factory) -> Path:
    path = live.data_dir.parent / "good.tar"
    made = cli(live.data_dir, "backup", str(path))
    assert made.returncode == 0, made.stderr
    return path


def _refused(folder: Path, backup: Path) -> str:
    """Restore into an empty data folder: refused with exit 2, and the folder still holds no database."""
    done = cli(folder, "restore", str(backup), "--json")
    assert done.returncode == 2, done.stderr
    assert not (folder / "postgres").exists(), "a refused file starts nothing"
    return json.loads(done.stdout)["error"]["message"]


def test_a_truncated_backup_is_refused_with_the_reason(good, tmp_path):
    for cut in (good.stat().st_size // 2, good.stat().st_size - 2048, 700):
        bad = tmp_path / f"cut-{cut}.tar"
        bad.write_bytes(good.read_bytes()[:cut])
        message = _refused(tmp_path / "data", bad)
        assert "truncated" in message, message


def test_a_corrupted_backup_is_refused_by_its_checksum(good, tmp_path):
    data = bytearray(good.read_bytes())
    data[4096] ^= 0xFF  # inside the dump
    bad = tmp_path / "rusak.tar"
    bad.write_bytes(bytes(data))
    assert _refused(tmp_path / "data", bad) == "rusak.tar is damaged: the dump's sha256 does not match the manifest's"


def test_another_projects_files_are_refused(tmp_path):
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        body = b'{"name": "slims-backup"}'
        info = tarfile.TarInfo("backup.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    assert _refused(tmp_path / "data", other) == (
        "other.tar is a tar file but not a Pustaka Desa backup (it has no manifest.json and database.dump)"
    )
    lookalike = tmp_path / "lookalike.tar"
    with tarfile.open(lookalike, "w") as tar:
        for name, body in (
            ("manifest.json", b'{"format": "other-app", "format_version": 1}'),
            ("database.dump", b"PGDMP"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    assert "is not a Pustaka Desa backup" in _refused(tmp_path / "data", lookalike)
    sql = tmp_path / "dump.sql"
    sql.write_text("CREATE TABLE t (a int);\n" * 100)
    assert "not a complete backup file" in _refused(tmp_path / "data", sql)


def test_a_backup_killed_midway_leaves_nothing_that_looks_complete(live, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    proc = subprocess.Popen(
        [PUSTAKA, "backup", str(folder)],
        env=env_for(live.data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(folder.glob(".*.partial")):
        assert time.monotonic() < deadline and proc.poll() is None, "the backup never started writing"
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(folder.glob("pustaka-backup-*")) == []
    [partial] = list(folder.glob(".*.partial"))
    assert "truncated" in _refused(tmp_path / "data", partial) or "not a complete" in _refused(
        tmp_path / "data", partial
    )
    again = cli(live.data_dir, "backup", str(folder), "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert partial.name in report["removed"] and not partial.exists()
    assert manifest_of(Path(report["path"]))["format"] == "pustaka-desa-backup"


def test_a_full_disk_keeps_the_previous_backups_and_says_so(live, good, tmp_path):
    disk = tmp_path / "usb-kecil"
    disk.mkdir()
    size = good.stat().st_size * 3 // 2  # room for one backup, not for two
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.fail(f"this test fills a small tmpfs and needs root to mount it: {mounted.stderr.strip()}")
    try:
        first = cli(live.data_dir, "backup", str(disk), "--json")
        assert first.returncode == 0, first.stderr
        previous = Path(json.loads(first.stdout)["path"])
        content = previous.read_bytes()
        time.sleep(1.1)  # a new file name
        full = cli(live.data_dir, "backup", str(disk), "--json")
        assert full.returncode == 2
        message = json.loads(full.stdout)["error"]["message"]
        assert message.startswith(
            f"the disk holding {disk} is full (No space left on device): no backup was "
            "written; earlier backups are untouched"
        ), message
        assert sorted(p.name for p in disk.iterdir()) == [previous.name]
        assert previous.read_bytes() == content
    finally:
        subprocess.run(["umount", str(disk)], check=False)
