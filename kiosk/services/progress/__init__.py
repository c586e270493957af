"""How a citizen's cases progress (办件进度), from the center and from the terminal's own records."""
