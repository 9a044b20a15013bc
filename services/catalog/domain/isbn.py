"""Moved to the shared kernel (`kernel.isbn`); this name stays for code written before the move."""

from kernel.isbn import Isbn, IsbnError, clean_isbn, lookup_form, registration_group  # noqa: F401
