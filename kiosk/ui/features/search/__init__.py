"""Search over the catalog, by Chinese, pinyin or initials, optionally within one list."""
