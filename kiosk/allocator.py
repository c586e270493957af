"""The C allocator's settings for a process that runs for weeks.

glibc's malloc gives each thread that allocates while another holds the lock an arena of its own, up to eight per
core, and returns little of an arena's free memory to the system. The terminal has a dozen threads (Qt Quick's,
the device workers, the database writer, the worker pool, the sync engine); with an arena each, the freed memory
of every session stayed scattered over them and the resident size of a terminal grew by about 45 kB a session
(``kiosk bench sessions``). Two arenas keep it flat (about 4 kB a session at 300 sessions) at the cost of a
little more waiting on the allocator's lock, which a 2-core terminal hardly notices.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

ARENAS = 2
_M_ARENA_MAX = -8  # malloc.h


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Limit glibc's malloc to ``arenas`` arenas (call before the program starts its threads). True when done;
    False on other C libraries and systems, or when ``MALLOC_ARENA_MAX`` in the environment already chose."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")  # glibc's name; find_library would run ldconfig
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    if mallopt(_M_ARENA_MAX, arenas) != 1:
        log.debug("mallopt(M_ARENA_MAX) refused")
        return False
    return True
