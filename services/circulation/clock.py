"""The library's day: loans, due dates and statistics follow Asia/Jakarta (WIB) dates (the kernel's clock)."""

from kernel.clock import JAKARTA, now, today  # noqa: F401  (the circulation service's clock)
