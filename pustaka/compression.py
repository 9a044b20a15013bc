"""Compressed answers for every app (API and pages): brotli where the client accepts it, gzip otherwise.

A village library reaches the catalogue over 3G: a page of search hits (about 16 KB of JSON) shrinks to
a fifth or less. The levels are moderate on purpose: brotli 4 and gzip 6 compress JSON nearly as well as
the maximum for a fraction of the CPU, and CPU is what limits searches per second on a small server.
Measured on this project's search answers (tests/bench/bench_meili_client.py, median 4.2 KB of JSON):
brotli 4 costs 0.1 ms per answer for 1,040 bytes, brotli 9 costs 2.5 ms and 11 costs 8.5 ms for 940 and
870 bytes; gzip 6 costs 0.09 ms for 1,030 bytes.
"""

from __future__ import annotations

from litestar.config.compression import CompressionConfig

MINIMUM_BYTES = 500
"""Smaller answers go as they are: the headers would cost more than the bytes saved."""


def compression() -> CompressionConfig:
    return CompressionConfig(
        backend="brotli", brotli_quality=4, brotli_gzip_fallback=True, gzip_compress_level=6, minimum_size=MINIMUM_BYTES
    )
