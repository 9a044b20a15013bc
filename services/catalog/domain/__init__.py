"""Catalogue rules with no I/O: ISBN cleaning, manifest reading, row validation, call numbers, barcodes."""
