"""Imports point one way (docs/architecture.md): kernel <- infrastructure <- search <- services <- the
composition root. A module that imports against the arrow fails here, naming the line."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("kernel", "pustaka", "search", "services")
# The composition root: the only modules that know every part (app assembly, CLI, server, seeding, the
# first run, and backup/restore, which span both schemas and rebuild the search index).
COMPOSITION_ROOT = {
    "pustaka.asgi",
    "pustaka.cli",
    "pustaka.runtime",
    "pustaka.server",
    "pustaka.seeding",
    "pustaka.first_run",
    "pustaka.backup",
    "pustaka.ops_cli",
}
IO_LIBRARIES = ("asyncpg", "litestar", "httpx", "uvicorn", "meilisearch", "tantivy")


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        yield name, path


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every absolute import of a module, wherever it stands (also inside functions)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def forbidden(module: str) -> tuple[str, ...]:
    """The packages a module must not import."""
    if module.startswith("kernel"):
        return ("pustaka", "search", "services")
    if module in COMPOSITION_ROOT:
        return ()
    if module.startswith("pustaka"):
        return ("search", "services")
    if module.startswith("search"):
        return ("services",)
    if ".domain" in module:
        return (*IO_LIBRARIES, "search", "services.web")
    service = ".".join(module.split(".")[:2])
    others = {"services.catalog", "services.circulation", "services.reporting", "services.web"} - {service}
    return (*sorted(others), "pustaka.cli", "pustaka.runtime", "pustaka.server", "pustaka.asgi")


def violations() -> list[str]:
    found = []
    for package in OURS:
        for module, path in modules(package):
            banned = forbidden(module)
            for line, target in imports_of(path):
                if any(target == b or target.startswith(b + ".") for b in banned):
                    found.append(f"{path.relative_to(ROOT)}:{line} {module} imports {target}")
    return found


def test_imports_point_one_way():
    assert violations() == []


def test_the_rule_catches_an_import_against_the_arrow():
    assert forbidden("search.documents") == ("services",)
    assert "services.catalog" in forbidden("services.circulation.lending")
    assert "asyncpg" in forbidden("services.circulation.domain.loans")
    assert forbidden("pustaka.cli") == ()


def test_reporting_is_a_service_of_its_own():
    """Reporting reads circulation's read model by SQL but imports no other service, and none imports it."""
    assert {"services.circulation", "services.catalog"} <= set(forbidden("services.reporting.reports"))
    assert "services.reporting" in forbidden("services.circulation.stats.upkeep")
    assert "services.reporting" in forbidden("services.catalog.app")
    assert "asyncpg" in forbidden("services.reporting.domain")


def test_the_seed_builder_is_an_independent_oracle():
    """The seeds are the data the ingest is tested against: their builder must not reuse the project's rules."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in sorted((ROOT / "seeds").rglob("*.py"))
        for line, target in imports_of(path)
        if target.split(".")[0] in OURS
    ]
    assert found == []
