"""The OpenAPI description both services publish: Litestar's, with bearer tokens declared."""

from __future__ import annotations

from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme


def openapi(title: str, path: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title=title,
        version="1.0.0",
        path=path,
        components=Components(
            security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
        ),
        security=[{"bearer": []}],
    )
