"""The ``display`` role (叫号屏): the hall's calling screen. Not built yet: its entry says so on screen."""
