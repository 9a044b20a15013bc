"""The read side of statistics: load counts from the rollups circulation folds, let the domain compute the
indicators of each period. Reads only, in the caller's read-only transaction. District answers carry counts
only: no member name, number or contact ever reaches this module."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

import asyncpg
import msgspec

from services.reporting import domain
from services.reporting.domain import BREAKDOWNS, Period, Scope
from services.reporting.queries import indicators as q
from services.reporting.queries.indicators import MembershipChange
from services.reporting.queries.reports import Library

MEMBER_DIMS = ("category", "gender")
MANY_GROUPS = 12


class Group(msgspec.Struct):
    period: str
    from_: dt.date = msgspec.field(name="from")
    to: dt.date
    indicators: dict[str, int | float | None] = msgspec.field(default_factory=dict)
    breakdowns: dict[str, dict[str, dict[str, int | float | str | None]]] = msgspec.field(default_factory=dict)


class Report(msgspec.Struct):
    scope: str
    from_: dt.date = msgspec.field(name="from")
    to: dt.date
    group_by: str = "month"
    libraries: list[str] = msgspec.field(default_factory=list)
    groups: list[Group] = msgspec.field(default_factory=list)
    simulated: bool = False


class _Facts:
    """Everything loaded for one report, keyed by group index (and library where it matters)."""

    def __init__(self) -> None:
        self.sums: dict[tuple[int, str, str, str], int] = defaultdict(int)  # (g, metric, dim, key)
        self.lib_sums: dict[tuple[int, str, str], int] = defaultdict(int)  # (g, library, metric)
        self.borrowers: dict[tuple[int, str, str], int] = {}  # (g, dim, key)
        self.not_yet_due: list[tuple[str, dt.date, int]] = []
        self.titles_used: dict[str | None, tuple[list[dt.date], list[int]]] = {}
        """Per library (None: the whole scope): days a title was first lent, and the running count."""
        self.members: dict[tuple[int, str, str], int] = defaultdict(int)  # (g, dim, key); dim '' = all
        self.holdings: dict[str, list[tuple[dt.date, int, int]]] = defaultdict(list)
        self.top_titles: dict[int, dict[str, dict]] = defaultdict(dict)


async def _load(
    conn: asyncpg.Connection,
    scope_code: str,
    codes: list[str],
    groups: list[Period],
    dims: list[str],
    by_library: bool,
    today: dt.date,
) -> _Facts:
    facts = _Facts()
    start, end = groups[0].start, groups[-1].end
    segs = domain.segments(groups)
    seg_groups, seg_starts, seg_ends = [s.group for s in segs], [s.start for s in segs], [s.end for s in segs]
    seg_monthly = [s.monthly for s in segs]
    for s in await q.sums(
        conn,
        libraries=codes,
        groups=seg_groups,
        starts=seg_starts,
        ends=seg_ends,
        monthly=seg_monthly,
        dims=["", *dims],
        by_library=by_library,
    ):
        if s.library_code:
            facts.lib_sums[(s.g, s.library_code, s.metric)] += s.n
        facts.sums[(s.g, s.metric, s.dim, s.key)] += s.n
    g_index = list(range(len(groups)))
    kinds, starts, ends = [p.distinct_kind for p in groups], [p.start for p in groups], [p.end for p in groups]
    for split in ["", *(d for d in MEMBER_DIMS if d in dims), *(["library"] if by_library else [])]:
        # the scope's own rows count its distinct borrowers; each library's rows count that library's
        scopes = codes if split == "library" else [scope_code]
        for c in await q.borrowers(
            conn,
            scopes=scopes,
            groups=g_index,
            kinds=kinds,
            starts=starts,
            ends=ends,
            split="scope" if split == "library" else split,
        ):
            facts.borrowers[(c.g, split, c.key or "")] = c.n
        # a member's category is their age on the day: counted per group; so is everything for a few groups
        # (one pass over the members each); many groups (days) read running sums of day-by-day changes
        if split == "category" or len(groups) <= MANY_GROUPS:
            for c in await q.members_valid(conn, libraries=codes, groups=g_index, ends=ends, split=split):
                facts.members[(c.g, split, c.key or "")] = c.n
        else:
            changes = await q.membership_changes(conn, libraries=codes, until=end, split=split)
            _members_by_running_sum(facts, split, groups, changes)
    if end >= today:
        facts.not_yet_due = [
            (d.library_code, d.due_date, d.n)
            for d in await q.not_yet_due(conn, libraries=codes, first_due=max(today, start), last_due=end)
        ]
    for used in await q.titles_used(conn, libraries=codes, until=end):
        facts.titles_used[used.library_code] = (used.days, used.running)
    if "top_titles" in dims:
        top = await q.top_titles(
            conn,
            libraries=codes,
            groups=seg_groups,
            starts=seg_starts,
            ends=seg_ends,
            monthly=seg_monthly,
            top=domain.TOP_TITLES,
        )
        names = {t.title_id: t.title for t in await q.title_names(conn, title_ids=[t.title_id for t in top])}
        for t in top:
            facts.top_titles[t.g][t.isbn13 or f"title:{t.title_id}"] = {
                "rank": t.rank,
                "loans": t.loans,
                "title": names.get(t.title_id),
            }
    for h in await q.holdings(conn, libraries=codes):
        facts.holdings[h.library_code].append((h.as_of, h.items, h.titles))
    return facts


def _members_by_running_sum(facts: _Facts, split: str, groups: list[Period], changes: list[MembershipChange]) -> None:
    """Members valid on each group's last day, from the day-by-day changes (ordered by key and day)."""
    by_key: dict[str, tuple[list[dt.date], list[int]]] = {}
    for c in changes:
        days, running = by_key.setdefault(c.key or "", ([], []))
        days.append(c.day)
        running.append((running[-1] if running else 0) + c.n)
    for g, p in enumerate(groups):
        for key, (days, running) in by_key.items():
            index = bisect.bisect_right(days, p.end)
            if index and running[index - 1]:
                facts.members[(g, split, key)] = running[index - 1]


def _used_by(facts: _Facts, library: str | None, day: dt.date) -> int:
    days, running = facts.titles_used.get(library, ([], []))
    index = bisect.bisect_right(days, day)
    return running[index - 1] if index else 0


def _holding_at(snapshots: list[tuple[dt.date, int, int]], day: dt.date) -> tuple[int, int]:
    """Items and titles of the last snapshot on or before `day`, else of the first one (0, 0 without any)."""
    if not snapshots:
        return 0, 0
    index = bisect.bisect_right([s[0] for s in snapshots], day) - 1
    _, items, titles = snapshots[max(index, 0)]
    return items, titles


def _indicators(facts: _Facts, g: int, p: Period, codes: list[str], library: str | None) -> dict:
    """Every indicator of one group, for the whole scope (library None) or one of its libraries."""
    if library is None:

        def summed(metric: str) -> int:
            return facts.sums.get((g, metric, "", ""), 0)

        borrowers = facts.borrowers.get((g, "", ""), 0)
    else:

        def summed(metric: str) -> int:
            return facts.lib_sums.get((g, library, metric), 0)

        borrowers = facts.borrowers.get((g, "library", library), 0)
    members = facts.members.get((g, "", "") if library is None else (g, "library", library), 0)
    libs = codes if library is None else [library]
    items = titles = 0
    for code in libs:
        i, t = _holding_at(facts.holdings.get(code, []), p.end)
        items, titles = items + i, titles + t
    used = _used_by(facts, library, p.end)
    pending = sum(
        n for lib, day, n in facts.not_yet_due if p.start <= day <= p.end and (library is None or lib == library)
    )
    values: dict[str, int | float | None] = {name: summed(name) for name in domain.SUMMED}
    values.update(
        active_borrowers=borrowers,
        members=members,
        collection_items=items,
        titles_held=titles,
        loans_due=summed("loans_due"),
    )
    values["turnover"] = domain.turnover(summed("loans"), items)
    values["titles_used_pct"] = domain.titles_used_pct(used, titles)
    values["overdue_pct"] = domain.overdue_pct(summed("loans_due"), summed("loans_due_on_time"), pending)
    return {name: values[name] for name in (*domain.INDICATORS, "loans_due")}


def _breakdown(facts: _Facts, g: int, p: Period, name: str, codes: list[str], libraries: dict[str, str]) -> dict:
    if name == "library":
        return {code: {"name": libraries[code], **_indicators(facts, g, p, codes, code)} for code in codes}
    if name == "top_titles":
        return facts.top_titles.get(g, {})
    if name == "never_borrowed":
        return {}  # filled by never_borrowed() from the catalogue's title list
    dim = BREAKDOWNS[name]
    found: dict[str, dict[str, int | float | None]] = defaultdict(dict)
    for (group, metric, d, key), n in facts.sums.items():
        if group == g and d == dim and metric in domain.SUMMED:
            found[key][metric] = n
    if dim in MEMBER_DIMS:
        for (group, d, key), n in facts.borrowers.items():
            if group == g and d == dim:
                found[key]["active_borrowers"] = n
        for (group, d, key), n in facts.members.items():
            if group == g and d == dim:
                found[key]["members"] = n
    return {key: dict(sorted(v.items())) for key, v in sorted(found.items())}


async def report(
    conn: asyncpg.Connection,
    *,
    scope: Scope,
    libraries: list[Library],
    start: dt.date,
    end: dt.date,
    group_by: str,
    breakdowns: list[str],
    today: dt.date,
) -> Report:
    """The statistics of a scope over [start, end], grouped by day, month or year."""
    codes = [lib.code for lib in libraries]
    names = {lib.code: lib.name for lib in libraries}
    groups = domain.periods(start, end, group_by)
    dims = [BREAKDOWNS[b] for b in breakdowns if b not in ("library", "never_borrowed")]
    facts = await _load(conn, scope.code, codes, groups, dims, "library" in breakdowns, today)
    answer = []
    for g, p in enumerate(groups):
        answer.append(
            Group(
                p.label,
                p.start,
                p.end,
                _indicators(facts, g, p, codes, None),
                {b: _breakdown(facts, g, p, b, codes, names) for b in breakdowns},
            )
        )
    simulated = any(n for (g, metric, d, k), n in facts.sums.items() if metric == "simulated_events")
    return Report(str(scope), start, end, group_by, codes, answer, simulated)


async def quiet_libraries(
    conn: asyncpg.Connection, *, libraries: list[Library], until: dt.date, days: int
) -> list[dict]:
    """Libraries that lent nothing and recorded no visitors in the `days` days up to `until`."""
    codes = [lib.code for lib in libraries]
    last = {a.library_code: a.last_day for a in await q.last_active(conn, libraries=codes, until=until)}
    since = until - dt.timedelta(days=days - 1)
    quiet = []
    for lib in libraries:
        day = last.get(lib.code)
        if day is None or day < since:
            quiet.append(
                {
                    "library": lib.code,
                    "name": lib.name,
                    "kecamatan": lib.kecamatan,
                    "last_activity": day.isoformat() if day else None,
                    "days_without_activity": (until - day).days if day else None,
                }
            )
    return quiet


class HeldTitle(Protocol):
    """A title a library holds, as the catalogue lists it."""

    title: str
    copies: int
    isbn13: str | None
    local_code: str | None


async def never_borrowed(conn: asyncpg.Connection, report: Report, held: Sequence[HeldTitle]) -> None:
    """Fill the never_borrowed breakdown of a library's report: each title it holds (`held`) that it had not
    lent by the end of each period, keyed by ISBN (or local code)."""
    library = report.libraries[0]
    for group in report.groups:
        used = {t.code for t in await q.used_titles(conn, library=library, until=group.to)}
        group.breakdowns["never_borrowed"] = {
            code: {"title": t.title, "copies": t.copies}
            for t in held
            if (code := t.isbn13 or t.local_code) and code not in used
        }
