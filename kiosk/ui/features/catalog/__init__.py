"""Browsing the catalog: departments, categories and 一件事 themes, their items, and narrowing a long list."""
