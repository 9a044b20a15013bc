"""The circulation domain: members, loan policies, loans and holds as pure rules (no I/O)."""
