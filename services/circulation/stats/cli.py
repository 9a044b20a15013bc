"""`pustaka simulate --months N --seed S`, and the demo history `pustaka up --demo` loads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import asyncpg
import typer
from rich.console import Console

err = Console(stderr=True)
DEMO_MONTHS = 3
DEMO_SEED = 2026


def simulate_command(
    months: Annotated[int, typer.Option("--months", min=1, max=60, help="how many months up to yesterday")],
    seed: Annotated[int, typer.Option("--seed", help="the same seed gives the same history")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")] = False,
) -> None:
    """A simulated circulation history, through the real use cases; every statistic says it is simulated."""
    from services.circulation.cli import _circulation, _finish, _run
    from services.circulation.stats.simulate import simulate

    async def main():
        async with _circulation() as circulation:
            return await simulate(
                circulation.pool, circulation.catalog, months=months, seed=seed, today=circulation.clock.today()
            )

    r = _run(main(), as_json)
    _finish(
        r,
        as_json,
        f"simulated {r.start} to {r.end} in {r.libraries} libraries: {r.members} members, "
        f"{r.loans} loans, {r.returns} returns, {r.visits} visits, {r.reads} reads on the spot, "
        f"{r.activities} activities (all marked simulated)",
    )


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_command)


async def load_demo(settings, url: str, catalog_app: Callable[..., Any]) -> None:
    """`pustaka up --demo`: a simulated history, once (skipped when the data folder already has one).
    `catalog_app(settings, url, pool)`: the catalogue app of this process, or None (reached over HTTP)."""
    from services.circulation import clock
    from services.circulation.app import catalog_client
    from services.circulation.queries.simulate import any_simulated
    from services.circulation.stats.simulate import simulate

    pool = await asyncpg.create_pool(url, min_size=1, max_size=8)
    try:
        async with pool.acquire() as conn:
            if await any_simulated(conn):
                return
        catalog = catalog_client(settings, catalog_app(settings, url, pool))
        err.print(f"demo: simulating {DEMO_MONTHS} months of circulation (marked simulated) ...")
        r = await simulate(pool, catalog, months=DEMO_MONTHS, seed=DEMO_SEED, today=clock.today())
        err.print(f"demo: {r.loans} loans, {r.visits} visits, {r.members} members in {r.libraries} libraries")
        await catalog.aclose()
    finally:
        await pool.close()
