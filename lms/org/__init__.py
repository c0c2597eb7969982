"""Units and people: the rules for the organisation tree and accounts (no views here)."""
