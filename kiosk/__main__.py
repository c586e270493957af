import sys

from kiosk.bench.launch import BARE_WINDOW

if sys.argv[1:] == [BARE_WINDOW]:
    # The startup benchmark's baseline window, started exactly as the kiosk is (this entry point, from source
    # or the bundle's executable) but without the command line and settings: see kiosk/bench/launch.py.
    from kiosk.bench.bare_window import main
else:
    from kiosk.cli.main import main

sys.exit(main())
