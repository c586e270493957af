"""The UI starts on a terminal whose data opens on first use, off the UI thread."""

from __future__ import annotations

import threading

from kiosk.services.lazy_terminal import LazyTerminal


def test_data_opens_on_the_first_catalog_call_on_the_calling_thread(settings, small_catalog_file):
    from kiosk.services.terminal import Terminal

    with Terminal.open(settings) as terminal:
        terminal.catalog.import_file(small_catalog_file)

    lazy = LazyTerminal(settings)
    try:
        search = lazy.catalog.search  # taking the method opens nothing
        assert lazy._terminal is None
        opened_on = []
        original = lazy.open

        def recording_open():
            opened_on.append(threading.current_thread().name)
            return original()

        lazy.open = recording_open  # type: ignore[method-assign]
        result = lazy.background.run(search, "sbk").result(timeout=30)
        assert result.hits[0].code == "RS-003"
        assert opened_on and opened_on[0].startswith("worker")
        assert lazy.background.run(lazy.catalog.stats).result(timeout=30).items == 12
    finally:
        lazy.close()


def test_closing_an_unopened_terminal_stops_its_workers(settings):
    lazy = LazyTerminal(settings)
    lazy.close()
    assert lazy._terminal is None


def test_a_damaged_database_is_reported_to_every_call_without_being_opened_again(settings):
    import pytest

    from kiosk.store.integrity import DatabaseDamaged

    settings.data_dir.mkdir(parents=True)
    settings.database_path.write_bytes(b"not a database " * 100)
    lazy = LazyTerminal(settings)
    try:
        with pytest.raises(DatabaseDamaged) as first:
            lazy.background.run(lazy.catalog.stats).result(timeout=30)
        with pytest.raises(DatabaseDamaged) as second:
            lazy.background.run(lazy.catalog.search, "sbk").result(timeout=30)
        assert second.value is first.value
        assert "整个数据库文件" in second.value.plain
    finally:
        lazy.close()
