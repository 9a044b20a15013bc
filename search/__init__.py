"""Search: every title a library holds, findable with typos, by any word or ISBN, kept in step with
PostgreSQL through the catalogue's outbox. Meilisearch in production, an embedded Tantivy index by default."""

from __future__ import annotations

from pathlib import Path

from pustaka.config import Settings
from search.backend import SearchBackend, SearchQuery, SearchResult, SearchUnavailable

__all__ = ["SearchBackend", "SearchQuery", "SearchResult", "SearchUnavailable", "backend_for"]


def backend_for(settings: Settings, folder: Path | None = None) -> SearchBackend:
    """Meilisearch when PUSTAKA_MEILI_URL is set, otherwise the embedded index (kept in `folder`, if given)."""
    if settings.meili_url:
        from search.meili import MeiliBackend

        return MeiliBackend(settings.meili_url, settings.meili_key)
    from search.embedded import EmbeddedBackend

    return EmbeddedBackend(folder)
