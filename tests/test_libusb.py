"""USB ticket printers go through pyusb, which needs the libusb library: the system's where there is one (Linux),
else the copy libusb-package carries (Windows has none; its wheel carries libusb-1.0.dll). The bundle's own copy is
checked by tests/test_frozen_program.py."""

from __future__ import annotations

import subprocess
import sys

import libusb_package

from drivers.printer.links import libusb_backend


def test_pyusb_gets_a_libusb_back_end() -> None:
    backend = libusb_backend()
    assert backend is not None
    assert backend.lib.libusb_init  # the library answers by its own name


def test_without_a_system_libusb_the_one_libusb_package_carries_is_used() -> None:
    """What a Windows terminal run from source sees: the system has no libusb, so pyusb's own search finds none."""
    carried = libusb_package.get_library_path()
    assert carried is not None and carried.is_file()
    script = (
        "import ctypes.util\n"
        "ctypes.util.find_library = lambda name: None  # a system without libusb\n"
        "from drivers.printer.links import libusb_backend\n"
        "print(libusb_backend().lib._name)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(carried)
