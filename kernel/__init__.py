"""The shared kernel: what the catalogue, circulation and search must agree on, written once.

ISBNs (`kernel.isbn`), DDC classes (`kernel.ddc`), library codes (`kernel.libraries`) and the URL prefixes
of the services (`kernel.wire`). It imports nothing from `pustaka/`, `services/` or `search/`.
"""
