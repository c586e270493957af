"""The ``display`` role (叫号屏): the hall's calling screen, following the hall's queue service (docs/display.md)."""
