"""Reporting: the statistics read side (TPBIS monitoring, IPLM/UPLM), its exports (CSV, XLSX, PDF) and their
HTTP handlers. It only reads: the rollups, the library directory and the holdings snapshots that
circulation keeps (its read model, see docs/architecture.md); it imports no other service."""
