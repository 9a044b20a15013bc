"""Statistics for program evaluation (TPBIS monitoring, IPLM/UPLM): rollups folded from the event log,
period logic and metric formulas, the read side, exports and the HTTP handlers."""
