"""The backup file: one tar holding `database.dump` (pg_dump's custom format) and `manifest.json` (what the
dump holds: every table's row count and content digest, the schema version, the dump's size and sha256).

The dump is streamed straight into the tar as pg_dump writes it (its tar header is written last, once the
size is known), so a backup needs no second copy on disk. The file is written under a temporary name and
renamed only once complete and flushed: a kill leaves a `*.partial` file that never looks like a backup.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

import msgspec

FORMAT = "pustaka-desa-backup"
FORMAT_VERSION = 1
DUMP = "database.dump"
MANIFEST = "manifest.json"
PARTIAL = ".partial"
_BLOCK = 512
_CHUNK = 1 << 20


class TableState(msgspec.Struct, frozen=True):
    rows: int
    digest: str
    """An order-independent sum of every row's 64-bit hash (as text): equal digests mean equal rows."""


class Manifest(msgspec.Struct, kw_only=True):
    format: str
    format_version: int
    created_at: str
    app_version: str
    server_version: str
    migrations: list[str]
    """`component/NNN` of every migration applied to the database the dump was taken from."""
    tables: dict[str, TableState]
    dump_bytes: int
    dump_sha256: str


class BackupRefused(Exception):
    """The file is not a complete, intact Pustaka Desa backup; the message says why."""


def partial_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}{PARTIAL}")


def _header(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    return info.tobuf(tarfile.GNU_FORMAT)


class DumpWriter:
    """Writes the tar: call `write` with the dump's bytes as they come, then `finish(manifest_for)`."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.size = 0
        self.sha = hashlib.sha256()
        handle.write(b"\0" * _BLOCK)  # the dump's header, rewritten once its size is known

    def write(self, chunk: bytes) -> None:
        self.handle.write(chunk)
        self.size += len(chunk)
        self.sha.update(chunk)

    def finish(self, manifest: Manifest) -> None:
        pad = -self.size % _BLOCK
        self.handle.write(b"\0" * pad)
        end = self.handle.tell()
        self.handle.seek(0)
        self.handle.write(_header(DUMP, self.size))
        self.handle.seek(end)
        body = msgspec.json.format(msgspec.json.encode(manifest))
        self.handle.write(_header(MANIFEST, len(body)) + body + b"\0" * (-len(body) % _BLOCK))
        self.handle.write(b"\0" * (2 * _BLOCK))  # the end-of-archive marker
        self.handle.flush()
        os.fsync(self.handle.fileno())


def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup file, after checking that the file is whole: refuses with the reason."""
    try:
        with tarfile.open(path, "r:") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if DUMP in members and MANIFEST not in members:
                raise BackupRefused(f"{path.name} is incomplete: it ends before its {MANIFEST} (truncated)")
            if MANIFEST not in members or DUMP not in members:
                raise BackupRefused(
                    f"{path.name} is a tar file but not a Pustaka Desa backup (it has no {MANIFEST} and {DUMP})"
                )
            raw = _open_member(tar, members[MANIFEST]).read()
            dump = members[DUMP]
            manifest = _decode(path, raw)
            if dump.size != manifest.dump_bytes:
                raise BackupRefused(
                    f"{path.name} is damaged: its dump has {dump.size} bytes, the manifest says {manifest.dump_bytes}"
                )
            sha = hashlib.sha256()
            handle = _open_member(tar, dump)
            while chunk := handle.read(_CHUNK):
                sha.update(chunk)
    except (tarfile.TarError, EOFError) as exc:
        raise BackupRefused(f"{path.name} is not a complete backup file (truncated or not a tar: {exc})") from None
    except FileNotFoundError:
        raise BackupRefused(f"{path} does not exist") from None
    except IsADirectoryError:
        raise BackupRefused(f"{path} is a folder, not a backup file") from None
    if sha.hexdigest() != manifest.dump_sha256:
        raise BackupRefused(f"{path.name} is damaged: the dump's sha256 does not match the manifest's")
    return manifest


def _decode(path: Path, raw: bytes) -> Manifest:
    try:
        head = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise BackupRefused(f"{path.name}: {MANIFEST} is not JSON") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise BackupRefused(f"{path.name} is not a Pustaka Desa backup ({MANIFEST} has no format {FORMAT!r})")
    if head.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"{path.name} has backup format version {head.get('format_version')}; "
            f"this version of Pustaka Desa reads version {FORMAT_VERSION}"
        )
    try:
        return msgspec.convert(head, Manifest)
    except msgspec.ValidationError as exc:
        raise BackupRefused(f"{path.name}: {MANIFEST} is incomplete ({exc})") from None


def _open_member(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> IO[bytes]:
    """A regular file of the tar, to read; anything else is not a backup of ours."""
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupRefused(f"{getattr(member, 'name', member)} in the backup is not a regular file")
    return handle


def dump_chunks(path: Path) -> Iterator[bytes]:
    """The dump's bytes, read from the tar (for pg_restore's standard input)."""
    with tarfile.open(path, "r:") as tar:
        handle = _open_member(tar, DUMP)
        while chunk := handle.read(_CHUNK):
            yield chunk
