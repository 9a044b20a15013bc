"""The URL prefixes of the services: the gateway, both services and their clients agree on them."""

CATALOG_PREFIX = "/api/catalog/v1"
CIRCULATION_PREFIX = "/api/circulation/v1"
