"""The catalog: browsing and search over the local cache, the search index kept over time, the demo catalog."""
