"""ASGI factories for running each service under uvicorn (compose): settings from the environment, the
database prepared and migrated before the app is built.

    uvicorn pustaka.asgi:catalog --factory --host 0.0.0.0 --port 8000
    uvicorn pustaka.asgi:circulation --factory --host 0.0.0.0 --port 8000
    uvicorn pustaka.asgi:pages --factory        # the pages (OPAC, desk, dashboard): static files, no database
    uvicorn pustaka.asgi:system --factory       # both services in one process, as `pustaka up` serves them

Each app logs through pustaka.logs (request ids, no member numbers, internal HTTP below INFO).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from pustaka import logs
from pustaka.config import Settings, load_settings
from pustaka.requests import RequestIds
from pustaka.runtime import build_app, prepare_database


def _prepared() -> tuple[Settings, str]:
    """Settings and the migrated database's URL. uvicorn calls a factory inside its running event loop,
    so the (async) preparation runs to completion on a loop of its own in a helper thread."""
    settings = load_settings()
    with ThreadPoolExecutor(max_workers=1) as pool:
        url = pool.submit(asyncio.run, prepare_database(settings)).result()
    return settings, url


def _served(app, settings: Settings):
    logs.setup(settings.log_level)  # after the app is built: Litestar configures logging when it is created
    return RequestIds(app)


def catalog():
    from services.catalog.app import create_app
    from services.catalog.search_api import SearchFastPath

    settings, url = _prepared()
    return _served(SearchFastPath(create_app(settings, url)), settings)


def circulation():
    from pustaka.gateway import Gateway
    from pustaka.runtime import circulation_routes

    settings, url = _prepared()
    return _served(Gateway(circulation_routes(settings, url)), settings)


def pages():
    from services.web.app import create_app

    return _served(create_app(), load_settings())


def system():
    settings, url = _prepared()
    return _served(build_app(settings, url), settings)
