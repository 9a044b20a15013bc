"""Settings read from `PUSTAKA_*` environment variables, in one place, validated at start-up."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlparse

import msgspec


class ConfigError(Exception):
    """A setting has a wrong value; the message names the variable, the value and what is expected."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    data_dir: Path
    database_url: str | None
    meili_url: str | None
    meili_key: str | None
    host: str
    port: int
    jwt_secret: str
    token_minutes: int
    catalog_url: str | None
    log_level: str
    isbn_lookup: str | None = None
    """An isbnlib metadata service (openl, goob, wiki) to complete titles online; None: never go online."""
    isbn_lookup_timeout: float = 5.0
    oai_page_size: int = 100
    """Records per OAI-PMH ListRecords/ListIdentifiers answer; the rest follows by resumption token."""
    oai_repository_id: str = "pustaka-desa.local"
    """The namespace of OAI identifiers (a domain name the libraries' service answers at)."""
    oai_admin_email: str = "admin@pustaka-desa.local"
    oai_repository_name: str = "Pustaka Desa"
    backup_dir: Path | None = None
    """Where `pustaka backup` and the automatic backups write (PUSTAKA_BACKUP_DIR; default: DATA_DIR/backups)."""
    backup_mirror: Path | None = None
    """A second place for every backup, e.g. a USB stick (PUSTAKA_BACKUP_MIRROR)."""
    backup_keep: int = 14
    backup_check_seconds: int = 30
    """How often `pustaka up` checks whether a backup is due (daily, or after an ingest)."""

    @property
    def embedded(self) -> bool:
        return self.database_url is None


def _int(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={raw!r} must be between {low} and {high}")
    return value


def _url(env: dict[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        raise ConfigError(f"{name}={raw!r} must be a URL starting with {' or '.join(s + '://' for s in schemes)}")
    return raw


def _jwt_secret(env: dict[str, str], data_dir: Path) -> str:
    """Use PUSTAKA_JWT_SECRET, or a random secret kept in the data folder so every process agrees."""
    configured = env.get("PUSTAKA_JWT_SECRET", "")
    if configured:
        if len(configured) < 32:
            raise ConfigError("PUSTAKA_JWT_SECRET must be at least 32 characters long")
        return configured
    path = data_dir / "jwt-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        candidate = data_dir / f".jwt-secret.{os.getpid()}"
        candidate.write_text(secrets.token_urlsafe(48))
        candidate.chmod(0o600)
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return path.read_text().strip()


def _isbn_lookup(env: dict[str, str]) -> str | None:
    service = env.get("PUSTAKA_ISBN_LOOKUP", "").strip().lower()
    if not service:
        return None
    from isbnlib import registry

    known = sorted(s for s in registry.services if s != "default")
    if service not in known:
        raise ConfigError(f"PUSTAKA_ISBN_LOOKUP={service!r} must be one of {', '.join(known)}")
    return service


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read and validate the settings; raise ConfigError with a clear message for a wrong value."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("PUSTAKA_DATA_DIR") or ".pustaka").expanduser().resolve()
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError(f"PUSTAKA_DATA_DIR={str(data_dir)!r} exists and is not a folder")
    log_level = env.get("PUSTAKA_LOG_LEVEL", "info").lower()
    if log_level not in {"debug", "info", "warning", "error"}:
        raise ConfigError(f"PUSTAKA_LOG_LEVEL={log_level!r} must be one of debug, info, warning, error")
    return Settings(
        data_dir=data_dir,
        database_url=_url(env, "PUSTAKA_DATABASE_URL", ("postgresql", "postgres")),
        meili_url=_url(env, "PUSTAKA_MEILI_URL", ("http", "https")),
        meili_key=env.get("PUSTAKA_MEILI_KEY") or None,
        host=env.get("PUSTAKA_HOST", "127.0.0.1"),
        port=_int(env, "PUSTAKA_PORT", 8000, 1, 65535),
        jwt_secret=_jwt_secret(env, data_dir),
        token_minutes=_int(env, "PUSTAKA_TOKEN_MINUTES", 12 * 60, 1, 7 * 24 * 60),
        catalog_url=_url(env, "PUSTAKA_CATALOG_URL", ("http", "https")),
        log_level=log_level,
        isbn_lookup=_isbn_lookup(env),
        isbn_lookup_timeout=float(_int(env, "PUSTAKA_ISBN_LOOKUP_TIMEOUT", 5, 1, 60)),
        **_oai(env),
        backup_dir=Path(env.get("PUSTAKA_BACKUP_DIR") or data_dir / "backups").expanduser().resolve(),
        backup_mirror=Path(env["PUSTAKA_BACKUP_MIRROR"]).expanduser().resolve()
        if env.get("PUSTAKA_BACKUP_MIRROR")
        else None,
        backup_keep=_int(env, "PUSTAKA_BACKUP_KEEP", 14, 1, 10_000),
        backup_check_seconds=_int(env, "PUSTAKA_BACKUP_CHECK_SECONDS", 30, 1, 3600),
    )


def _oai(env: dict[str, str]) -> dict:
    """The OAI-PMH provider's settings (what Indonesia OneSearch sees in Identify)."""
    identifier = env.get("PUSTAKA_OAI_REPOSITORY_ID", "pustaka-desa.local").strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+", identifier):
        raise ConfigError(f"PUSTAKA_OAI_REPOSITORY_ID={identifier!r} must be a domain name, e.g. perpus.magetan.go.id")
    email = env.get("PUSTAKA_OAI_ADMIN_EMAIL", f"admin@{identifier}").strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ConfigError(f"PUSTAKA_OAI_ADMIN_EMAIL={email!r} is not an e-mail address")
    return {
        "oai_page_size": _int(env, "PUSTAKA_OAI_PAGE_SIZE", 100, 1, 1000),
        "oai_repository_id": identifier,
        "oai_admin_email": email,
        "oai_repository_name": env.get("PUSTAKA_OAI_REPOSITORY_NAME", "").strip() or "Pustaka Desa",
    }
