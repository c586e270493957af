import sys
from importlib import import_module

from kiosk.program import HIDDEN_ENTRIES

if len(sys.argv) > 1 and sys.argv[1] in HIDDEN_ENTRIES:
    # A helper process of the program (kiosk/program.py), started without the command line and the settings.
    sys.exit(import_module(HIDDEN_ENTRIES[sys.argv[1]]).main(sys.argv[2:]))

from kiosk.cli.main import main

sys.exit(main())
