"""办件进度: how the citizen's cases progress."""
