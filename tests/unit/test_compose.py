"""compose.yaml is a valid Compose file (the Compose Specification schema, copied into tests/contracts/)
that runs the production layout of DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "contracts" / "compose-spec.json").read_text(encoding="utf-8"))
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_yaml_follows_the_compose_specification():
    errors = sorted(Draft7Validator(SCHEMA).iter_errors(COMPOSE), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_compose_runs_every_part_with_pinned_images():
    services = COMPOSE["services"]
    assert set(services) == {
        "postgres",
        "meilisearch",
        "init",
        "catalog",
        "circulation",
        "pages",
        "indexer",
        "backup",
        "gateway",
    }
    assert services["meilisearch"]["image"] == "getmeili/meilisearch:v1.21.0"
    assert services["meilisearch"]["environment"]["MEILI_MASTER_KEY"].startswith("${MEILI_MASTER_KEY")
    assert "meili-data:/meili_data" in services["meilisearch"]["volumes"]
    # the same bound as the test server's (tests/meiliserver.py): a package searchable within 2 s
    assert services["meilisearch"]["environment"]["MEILI_MAX_INDEXING_MEMORY"] == "256MiB"
    for name in ("postgres", "gateway"):
        assert ":" in services[name]["image"] and not services[name]["image"].endswith(":latest")
    assert services["indexer"]["command"] == ["pustaka", "indexer"]
    assert "pustaka.asgi:catalog" in services["catalog"]["command"]
    assert "pustaka.asgi:circulation" in services["circulation"]["command"]
    assert "pustaka.asgi:pages" in services["pages"]["command"]


def test_every_service_waits_for_the_first_run_step():
    services = COMPOSE["services"]
    assert services["init"]["command"] == ["pustaka", "init"]
    assert services["init"]["restart"] == "no"
    assert services["init"]["environment"]["PUSTAKA_ADMIN_PASSWORD_FILE"] == "/run/secrets/admin_password"
    for name in ("catalog", "circulation", "indexer", "backup"):
        assert services[name]["depends_on"]["init"] == {"condition": "service_completed_successfully"}, name


def test_the_gateway_routes_the_url_layout_to_its_owners():
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "location /api/catalog/ { proxy_pass http://catalog; }" in config
    assert "location /api/circulation/ { proxy_pass http://circulation; }" in config
    assert "location / { proxy_pass http://pages; }" in config
