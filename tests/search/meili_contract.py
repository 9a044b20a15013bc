"""A recording transport for the Meilisearch client: every request is checked against the Meilisearch
OpenAPI description (method, path, path and query parameters, JSON body with every $ref resolved) and is
answered with a response of a shape the description allows, which is itself checked too.

It is mounted under `requests` (meilisearch-python calls `requests.get/post/...`, the adapter's writes), and
serves the adapter's searches (aiohttp) as a real HTTP server on loopback (`serving()`), so everything above
the socket is the real client."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from aiohttp import web
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[1] / "contracts" / "meilisearch-openapi-1.15.2.json"
SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
URI = "urn:meilisearch-openapi"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _registry() -> Registry:
    # Erratum (see tests/contracts/SOURCE.md): the server reads SearchQuery in camelCase, every key optional.
    spec = copy.deepcopy(SPEC)
    search_query = spec["components"]["schemas"]["SearchQuery"]
    search_query.pop("required", None)
    search_query["additionalProperties"] = False
    # Erratum: in a multi-search, each query's defaulted keys are marked required too; only indexUid is.
    with_index = spec["components"]["schemas"]["SearchQueryWithIndex"]
    with_index["required"] = ["indexUid"]
    with_index["additionalProperties"] = False
    # Erratum: /multi-search without `federation` answers one result per query (`SearchResults`), which
    # the description has but does not name as an answer of the route.
    answer = spec["paths"]["/multi-search"]["post"]["responses"]["200"]["content"]["application/json"]
    answer["schema"] = {"oneOf": [answer["schema"], {"$ref": "#/components/schemas/SearchResults"}]}
    return Registry().with_resource(URI, Resource(contents=spec, specification=DRAFT202012))


REGISTRY = _registry()
_ROUTES = [(re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$"), path) for path in SPEC["paths"]]


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def check(value: Any, *parts: str) -> None:
    """Validate `value` against the schema at this JSON pointer of the description (raises on mismatch)."""
    Draft202012Validator({"$ref": URI + _pointer(*parts)}, registry=REGISTRY).validate(value)


class Recorded:
    def __init__(self, method: str, route: str, path: str, params: dict, query: dict, body: Any) -> None:
        self.method, self.route, self.path, self.params, self.query, self.body = (
            method,
            route,
            path,
            params,
            query,
            body,
        )

    def __repr__(self) -> str:
        return f"{self.method} {self.path}"


def _nothing_found(query: dict) -> dict:
    """The answer to a search when the test prepared none: no hits."""
    return {
        "hits": [],
        "query": query.get("q", ""),
        "processingTimeMs": 0,
        "hitsPerPage": query.get("hitsPerPage", 20),
        "page": query.get("page", 1),
        "totalPages": 0,
        "totalHits": 0,
    }


class MeiliContract(requests.adapters.BaseAdapter):
    """Checks each request, remembers it, and answers as a Meilisearch 1.15.2 would in shape."""

    def __init__(self, search_answer: dict | None = None, down: bool = False) -> None:
        super().__init__()
        self.calls: list[Recorded] = []
        self.indexes: dict[str, int] = {}
        self.tasks: dict[int, dict] = {}
        self.search_answer = search_answer
        self.down = down
        self.base = ""
        """The URL of `serving()` while it runs."""

    # -- checking -------------------------------------------------------------------------------------
    def _route(self, method: str, path: str) -> tuple[str, dict]:
        for pattern, route in _ROUTES:
            match = pattern.match(path)
            if match and method.lower() in SPEC["paths"][route]:
                return route, match.groupdict()
        raise AssertionError(f"{method} {path} is not an operation of the Meilisearch API description")

    def _check_request(self, method: str, route: str, params: dict, query: dict, body: Any) -> None:
        operation = SPEC["paths"][route][method.lower()]
        declared = {(p["in"], p["name"]): p for p in operation.get("parameters", [])}
        for name in params:
            assert ("path", name) in declared, f"{route}: undeclared path parameter {name}"
        for name, value in query.items():
            assert ("query", name) in declared, f"{method} {route}: undeclared query parameter {name}"
            check(
                value,
                "paths",
                route,
                method.lower(),
                "parameters",
                str(operation["parameters"].index(declared[("query", name)])),
                "schema",
            )
        if route == "/indexes/{indexUid}/search" and isinstance(body, dict):
            body = {_snake(k): v for k, v in body.items()}  # erratum: camelCase on the wire
        if "requestBody" in operation:
            assert body is not None, f"{method} {route} needs a JSON body"
            check(body, "paths", route, method.lower(), "requestBody", "content", "application/json", "schema")
        else:
            assert body is None, f"{method} {route} takes no body"

    # -- answering ------------------------------------------------------------------------------------
    def _task(self, index_uid: str | None, kind: str, error: str | None = None) -> dict:
        uid = len(self.tasks)
        now = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
        self.tasks[uid] = {
            "uid": uid,
            "batchUid": uid,
            "indexUid": index_uid,
            "status": "failed" if error else "succeeded",
            "type": kind,
            "canceledBy": None,
            "details": None,
            "duration": "PT0.001S",
            "enqueuedAt": now,
            "startedAt": now,
            "finishedAt": now,
            "error": {
                "message": f"Index `{index_uid}` not found.",
                "code": error,
                "type": "invalid_request",
                "link": f"https://docs.meilisearch.com/errors#{error}",
            }
            if error
            else None,
        }
        return {"taskUid": uid, "indexUid": index_uid, "status": "enqueued", "type": kind, "enqueuedAt": now}

    def _not_found(self, uid: str) -> tuple[int, dict]:
        return 404, {
            "message": f"Index `{uid}` not found.",
            "code": "index_not_found",
            "type": "invalid_request",
            "link": "https://docs.meilisearch.com/errors#index_not_found",
        }

    def _answer(self, method: str, route: str, params: dict, body: Any) -> tuple[int, Any]:
        uid = params.get("indexUid")
        key = (method, route)
        if key == ("GET", "/indexes/{indexUid}"):
            if uid not in self.indexes:
                return self._not_found(uid)
            return 200, {
                "uid": uid,
                "primaryKey": "id",
                "createdAt": "2026-11-25T00:00:00Z",
                "updatedAt": "2026-11-25T00:00:00Z",
            }
        if key == ("POST", "/indexes"):
            self.indexes[body["uid"]] = 0
            return 202, self._task(body["uid"], "indexCreation")
        if key == ("DELETE", "/indexes/{indexUid}"):
            missing = self.indexes.pop(uid, None) is None
            return 202, self._task(uid, "indexDeletion", "index_not_found" if missing else None)
        if key == ("PATCH", "/indexes/{indexUid}/settings"):
            return 202, self._task(uid, "settingsUpdate")
        if key == ("POST", "/indexes/{indexUid}/documents"):
            self.indexes[uid] = self.indexes.get(uid, 0) + len(body)
            return 202, self._task(uid, "documentAdditionOrUpdate")
        if key == ("POST", "/indexes/{indexUid}/documents/delete"):
            return 202, self._task(uid, "documentDeletion")
        if key == ("POST", "/swap-indexes"):
            a, b = body[0]["indexes"]
            self.indexes[a], self.indexes[b] = self.indexes[b], self.indexes[a]
            return 202, self._task(None, "indexSwap")
        if key == ("GET", "/tasks/{taskUid}"):
            return 200, self.tasks[int(params["taskUid"])]
        if key == ("GET", "/health"):
            return 200, {"status": "available"}
        if key == ("GET", "/indexes/{indexUid}/stats"):
            if uid not in self.indexes:
                return self._not_found(uid)
            return 200, {
                "numberOfDocuments": self.indexes[uid],
                "rawDocumentDbSize": 0,
                "avgDocumentSize": 0,
                "isIndexing": False,
                "fieldDistribution": {},
            }
        if key == ("POST", "/indexes/{indexUid}/search"):
            return 200, self.search_answer or _nothing_found(body)
        if key == ("POST", "/multi-search"):
            return 200, {
                "results": [
                    {**(self.search_answer or _nothing_found(q)), "indexUid": q["indexUid"]} for q in body["queries"]
                ]
            }
        raise AssertionError(f"no answer prepared for {method} {route}")

    def _check_answer(self, method: str, route: str, status: int, answer: Any) -> int:
        """Check the answer against the description; return the status it declares for it."""
        responses = SPEC["paths"][route][method.lower()]["responses"]
        declared = next(s for s in responses if s.startswith("2")) if status < 300 else str(status)
        assert declared in responses, f"{method} {route} never answers {status}"
        check(answer, "paths", route, method.lower(), "responses", declared, "content", "application/json", "schema")
        return int(declared)

    def exchange(self, method: str, url: str, raw: str | None) -> tuple[int, Any]:
        """Check one request, remember it, and answer it (status, JSON value), checked too."""
        parts = urlsplit(url)
        route, params = self._route(method, parts.path)
        query = dict(parse_qsl(parts.query))
        body = json.loads(raw) if raw else None
        self._check_request(method, route, params, query, body)
        self.calls.append(Recorded(method, route, parts.path, params, query, body))
        status, answer = self._answer(method, route, params, body)
        return self._check_answer(method, route, status, answer), answer

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        if self.down:
            raise requests.exceptions.ConnectionError("connection refused (the engine is down)")
        raw = request.body.decode() if isinstance(request.body, bytes) else request.body
        status, answer = self.exchange(request.method, request.url, raw)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(answer).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        return None

    @asynccontextmanager
    async def serving(self):
        """Serve the same checks over HTTP on a free loopback port (the adapter's searches); yields its URL.
        While `down`, every connection is dropped as it arrives, as by an engine that went away."""

        async def handle(request: web.Request) -> web.StreamResponse:
            if self.down:
                assert request.transport is not None
                request.transport.close()
                raise web.HTTPServiceUnavailable()
            raw = (await request.read()).decode() or None
            status, answer = self.exchange(request.method, str(request.url), raw)
            return web.json_response(answer, status=status)

        app = web.Application()
        app.router.add_route("*", "/{path:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            await runner.cleanup()
