"""Named SQL queries kept in `.sql` files: each query follows a `-- name: query_name` header line."""

from __future__ import annotations

import re
from pathlib import Path

_HEADER = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


class Queries:
    """The queries of one `.sql` file, as attributes: `queries.insert_loan` is that query's text."""

    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        parts = _HEADER.split(text)
        self._queries: dict[str, str] = {}
        for name, body in zip(parts[1::2], parts[2::2]):
            if name in self._queries:
                raise ValueError(f"{path}: query {name!r} is defined twice")
            self._queries[name] = body.strip().rstrip(";")
        self._path = path

    def __getattr__(self, name: str) -> str:
        try:
            return self._queries[name]
        except KeyError:
            raise AttributeError(f"{self._path.name} has no query named {name!r}") from None

    def names(self) -> list[str]:
        return list(self._queries)


def load(module_file: str, name: str = "queries.sql") -> Queries:
    """Load the `.sql` file that sits next to a module: `load(__file__)`."""
    return Queries(Path(module_file).with_name(name))
