"""The saved search index: the same results as an index built afresh, across restarts and catalog changes; a file
that is missing, damaged or belongs to another database is built anew, never a traceback."""

from __future__ import annotations

import random
import shutil
import time
from dataclasses import replace

import pytest

from kiosk.config import Settings
from kiosk.domain.search import SearchIndex
from kiosk.domain.search_file import IndexFileError, decode, encode
from kiosk.domain.search_segment import build_segment
from kiosk.services.catalog.demo import generate_catalog
from kiosk.services.terminal import Terminal
from kiosk.store.search_index_store import SearchIndexStore

ITEMS = 1500


def sample_queries(rows, count: int = 60, seed: int = 3) -> list[str]:
    """Queries as villagers type them, cut from the catalog's own names and keywords, and a few broad ones."""
    rng = random.Random(seed)
    queries = [
        "社保卡",
        "证",
        "登记",
        "sbk",
        "s",
        "z",
        "shebao",
        "社保k",
        "s保卡",
        "镇",
        "cun",
        "441800-rs-00003",
    ]
    for _ in range(count):
        code, _name, _dept, chars, syllables, keywords = rows[rng.randrange(len(rows))]
        parts = syllables.split()
        start = rng.randrange(max(1, len(chars) - 1))
        width = rng.randint(1, 5)
        queries += [
            chars[start : start + width],
            "".join(parts[start : start + width]),
            "".join(p[0] for p in parts[start : start + width]),
            chars[start : start + 1] + "".join(p[0] for p in parts[start + 1 : start + width]),
            code.lower(),
        ]
        if keywords:
            queries.append(keywords[0][0][:2])
    return queries


def results(index: SearchIndex, queries: list[str]) -> list[tuple]:
    out = []
    for q in queries:
        hits, total, truncated = index.search(q)
        out.append((q, [(h.code, h.name, h.department, h.match) for h in hits], total, truncated))
    return out


def fresh_index(terminal: Terminal) -> SearchIndex:
    """The index built afresh from the cache as it is (what every search gave before the index was saved)."""
    return SearchIndex.of(build_segment(SearchIndexStore(terminal.database).rows()))


@pytest.fixture
def demo_terminal(settings: Settings):
    with Terminal.open(settings) as terminal:
        terminal.catalog.import_document(generate_catalog(ITEMS, seed=11))
        yield terminal


def reopen(settings: Settings) -> Terminal:
    return Terminal.open(settings)


def test_the_saved_index_gives_the_results_of_a_fresh_build_and_survives_a_restart(demo_terminal, settings):
    rows = SearchIndexStore(demo_terminal.database).rows()
    queries = sample_queries(rows)
    expected = results(fresh_index(demo_terminal), queries)
    assert results(demo_terminal.catalog.search_index(), queries) == expected
    demo_terminal.close()
    index_file = settings.data_dir / "search-index.bin"
    assert index_file.exists()

    with reopen(settings) as terminal:
        saved = decode(index_file.read_bytes())
        assert len(saved.segment) == ITEMS
        assert results(terminal.catalog.search_index(), queries) == expected


def test_items_changed_after_the_index_was_saved_are_found_as_changed(demo_terminal, settings):
    demo_terminal.catalog.search_index()  # built and saved
    document = generate_catalog(ITEMS, seed=11)
    items = document["items"]
    renamed, deleted = items[:40], items[40:60]
    for n, item in enumerate(renamed):
        item["name"] = f"老年人优待证办理{n}号" if n % 2 else "新名字" + item["name"][::-1]
        item["keywords"] = ["老人证", f"敬老{n}"]
        item["version"] += 1
    tombstones = [{"code": item["code"], "version": item["version"] + 1, "deleted": True} for item in deleted]
    added = [dict(items[0], code=f"NEW-{n:03d}", name=f"新增事项{n}社保卡", version=1) for n in range(15)]
    demo_terminal.catalog.import_document(
        {"format": "kiosk-catalog/1", "items": renamed + tombstones + added}
    )
    demo_terminal.close()

    with reopen(settings) as terminal:
        rows = SearchIndexStore(terminal.database).rows()
        changed = ["老人证", "lrz", "laonianren", "敬老", "新增事项", "xzsx", "新名字"]
        queries = [*sample_queries(rows, seed=5), *changed, *(item["code"].lower() for item in deleted[:5])]
        expected = results(fresh_index(terminal), queries)
        assert results(terminal.catalog.search_index(), queries) == expected
        assert [h.code for h in terminal.catalog.search(deleted[0]["code"]).hits] == []
        assert {h.code for h in terminal.catalog.search("新增事项").hits} == {
            f"NEW-{n:03d}" for n in range(15)
        }


def test_a_missing_index_is_built_again(demo_terminal, settings):
    expected = [h.code for h in demo_terminal.catalog.search("shebao").hits]
    demo_terminal.close()
    (settings.data_dir / "search-index.bin").unlink()

    with reopen(settings) as terminal:
        assert [h.code for h in terminal.catalog.search("shebao").hits] == expected
    assert decode((settings.data_dir / "search-index.bin").read_bytes()).revision >= 1


@pytest.mark.parametrize("damage", ["flipped bytes", "cut short", "empty", "not an index"])
def test_a_damaged_index_is_built_again_without_a_traceback(demo_terminal, settings, damage):
    expected = [h.code for h in demo_terminal.catalog.search("社保卡").hits]
    demo_terminal.close()
    path = settings.data_dir / "search-index.bin"
    data = bytearray(path.read_bytes())
    if damage == "flipped bytes":
        for at in range(len(data) // 2, len(data) // 2 + 64):
            data[at] ^= 0x5A
    elif damage == "cut short":
        data = data[: len(data) // 3]
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"PK\x03\x04 a zip file, say" * 100)
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFileError):
        decode(path.read_bytes())

    with reopen(settings) as terminal:
        assert [h.code for h in terminal.catalog.search("社保卡").hits] == expected
    decode(path.read_bytes())  # written again, whole


def test_an_index_of_another_database_is_not_used(demo_terminal, settings, tmp_path):
    demo_terminal.catalog.search_index()
    demo_terminal.close()
    other = replace(settings, data_dir=tmp_path / "other")
    with Terminal.open(other) as terminal:
        # Another terminal with a catalog of its own, at the same revision.
        terminal.catalog.import_document(generate_catalog(200, seed=99))
        expected = [h.code for h in terminal.catalog.search("z").hits]
        terminal.catalog.search_index()
    shutil.copy(settings.data_dir / "search-index.bin", other.data_dir / "search-index.bin")

    with Terminal.open(other) as terminal:
        assert [h.code for h in terminal.catalog.search("z").hits] == expected
        assert len(terminal.catalog.search_index()) == 200


def test_the_file_round_trips_every_part():
    from kiosk.domain.pinyin import pinyin_forms
    from kiosk.domain.search import IndexedItem

    names = ["社保卡", "社保卡补换卡", "居民身份证换领", "𠀀字事项", "ABC证明", "银行账户变更"]
    items = [
        IndexedItem(
            f"C-{n}", name, "部门", pinyin_forms(name), (pinyin_forms("补卡"), pinyin_forms("身份证"))
        )
        for n, name in enumerate(names)
    ]
    built = SearchIndex(items)
    read = decode(b"".join(bytes(p) for p in encode(built.base, 7, "token")))
    assert (read.revision, read.token) == (7, "token")
    queries = ["社保", "sbk", "shebaoka", "bk", "身份证", "sfz", "abc", "c-1", "𠀀", "社b", "yinhang", "yhzh"]
    assert results(SearchIndex.of(read.segment), queries) == results(built, queries)


def test_keywords_of_one_item_and_keywords_shared_by_many_find_their_items():
    from kiosk.domain.pinyin import pinyin_forms
    from kiosk.domain.search import IndexedItem

    def item(code, name, keywords):
        return IndexedItem(code, name, "部门", pinyin_forms(name), tuple(pinyin_forms(k) for k in keywords))

    index = SearchIndex(
        [
            item("A", "甲事项", ["退休金", "养老"]),
            item("B", "乙事项", ["养老", "退役"]),
            item("C", "丙事项", ["退休证"]),
            item("D", "丁事项", ["医保"]),
        ]
    )

    def keyword_hits(query):
        hits, _, _ = index.search(query)
        return sorted(h.code for h in hits if h.match == "keyword")

    assert keyword_hits("养老") == ["A", "B"]
    assert keyword_hits("退休") == ["A", "C"]
    assert keyword_hits("tui") == ["A", "B", "C"]
    assert keyword_hits("yl") == ["A", "B"]
    assert keyword_hits("医保") == ["D"]


def test_after_many_changes_a_new_index_is_saved_in_the_background(demo_terminal, settings):
    from kiosk.services.catalog.search_index import SearchIndexKeeper

    demo_terminal.catalog.search_index()  # built and saved at revision 1
    store = SearchIndexStore(demo_terminal.database)
    background = demo_terminal.background
    keeper = SearchIndexKeeper(store, run=background.run, write=background.write, save_after=100)
    items = generate_catalog(ITEMS, seed=11)["items"][:150]
    for item in items:
        item["name"] = "更名" + item["name"]
        item["version"] += 1
    demo_terminal.catalog.import_document({"format": "kiosk-catalog/1", "items": items})

    queries = [*sample_queries(store.rows(), seed=8), "更名", "gm"]
    assert results(keeper.current(), queries) == results(fresh_index(demo_terminal), queries)
    deadline = time.monotonic() + 60
    while keeper.rebuilding and time.monotonic() < deadline:
        time.sleep(0.05)
    background.write(lambda: None).result()  # the new file's token recorded
    saved = decode((settings.data_dir / "search-index.bin").read_bytes())
    assert saved.revision == 2
    assert results(keeper.current(), queries) == results(fresh_index(demo_terminal), queries)
    # Only changes after the saved index are still logged.
    assert store.changed_since(0) == []
