"""The gateway starts each app's lifespan once, even when one app serves two prefixes (catalogue: /oai)."""

import asyncio

from pustaka.gateway import Gateway


class CountingApp:
    def __init__(self) -> None:
        self.startups = 0

    async def __call__(self, scope, receive, send) -> None:
        assert scope["type"] == "lifespan"
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.startups += 1
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return


async def test_an_app_behind_two_prefixes_starts_once():
    catalogue, pages = CountingApp(), CountingApp()
    gateway = Gateway([("/api/catalog", catalogue), ("/oai", catalogue)], fallback=pages)
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    task = asyncio.create_task(gateway({"type": "lifespan"}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    await inbox.put({"type": "lifespan.shutdown"})
    assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
    await task
    assert (catalogue.startups, pages.startups) == (1, 1)
