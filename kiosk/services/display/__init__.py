"""The hall's display (叫号屏), Qt-free: the board kept from the hall's events, and following the hall for it."""
