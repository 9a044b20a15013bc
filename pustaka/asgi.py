"""ASGI factories for running each service under uvicorn (compose): settings from the environment, the
database prepared and migrated before the app is built.

    uvicorn pustaka.asgi:catalog --factory --host 0.0.0.0 --port 8000
    uvicorn pustaka.asgi:circulation --factory --host 0.0.0.0 --port 8000
    uvicorn pustaka.asgi:system --factory       # both services in one process, as `pustaka up` serves them
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

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


def catalog():
    from services.catalog.app import create_app

    return RequestIds(create_app(*_prepared()))


def circulation():
    from services.circulation.app import create_app

    return RequestIds(create_app(*_prepared()))


def system():
    return build_app(*_prepared())
