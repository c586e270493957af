"""``kiosk bench search``: per-query latency of the catalog search over a large generated catalog, against the
same queries as plain SQLite FTS5 in the same run.

The baseline is what a straightforward FTS5 design gives: one FTS5 table (unicode61, each Chinese character a
token) over the name, the name's full pinyin and initials, keywords and guide text; a Chinese query is a phrase,
a pinyin query a prefix term on the pinyin columns; ``ORDER BY rank LIMIT 50``. It returns matches with bm25
order but no exact/prefix/name/keyword ranking and no mixed or mid-name pinyin matching, which the product's
search adds.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from kiosk.bench.stats import summary_ms
from kiosk.config import Settings
from kiosk.domain.pinyin import is_cjk, normalise
from kiosk.services.terminal import Terminal
from kiosk.store.migrations import fts_text

QUERIES = {
    "chinese": [
        "社保卡",
        "身份证",
        "养老保险",
        "公积金提取",
        "低保",
        "残疾人证",
        "出生登记",
        "营业执照",
        "不动产",
        "医疗保险",
        "户口",
        "救助",
        "个人所得税",
        "登记",
        "证",
    ],
    "pinyin": [
        "shebaoka",
        "shenfenzheng",
        "gongjijin",
        "yanglao",
        "yiliaobaoxian",
        "hukou",
        "jiuzhu",
        "budongchan",
        "dengji",
        "canji",
    ],
    "initials": ["sbk", "sfz", "gjj", "ylbx", "dbsq", "cjrz", "csdj", "yyzz", "bdc", "hk"],
}


def _fill_baseline(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE IF EXISTS bench_fts")
    conn.execute(
        "CREATE VIRTUAL TABLE bench_fts USING fts5(code UNINDEXED, name, name_full, name_initials, "
        "keywords, body, tokenize = 'unicode61')"
    )
    rows = conn.execute(
        "SELECT s.code, s.chars, s.syllables, s.keywords, g.body FROM search_terms s "
        "JOIN guide_fts g ON g.rowid = s.id"
    ).fetchall()
    conn.executemany(
        "INSERT INTO bench_fts(code, name, name_full, name_initials, keywords, body) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                code,
                fts_text(chars),
                syllables.replace(" ", ""),
                "".join(s[0] for s in syllables.split()),
                fts_text(keywords),
                body,
            )
            for code, chars, syllables, keywords, body in rows
        ],
    )
    conn.commit()


def baseline_query(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[str]:
    q = normalise(query)
    if any(is_cjk(ch) for ch in q):
        match = '"' + fts_text(q) + '"'
    else:
        match = "{name_full name_initials} : " + q + "*"
    return [
        row[0]
        for row in conn.execute(
            "SELECT code FROM bench_fts WHERE bench_fts MATCH ? ORDER BY rank LIMIT ?", [match, limit]
        )
    ]


def run(settings: Settings, items: int, repeat: int, seed: int) -> dict:
    from kiosk.services.demo_catalog import generate_catalog

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        bench_settings = replace(settings, data_dir=Path(tmp))
        with Terminal.open(bench_settings) as terminal:
            t0 = time.perf_counter()
            document = generate_catalog(items, seed=seed)
            t1 = time.perf_counter()
            terminal.catalog.import_document(document)
            t2 = time.perf_counter()
            terminal.catalog.search_index()
            t3 = time.perf_counter()
            conn = sqlite3.connect(bench_settings.database_path)
            _fill_baseline(conn)

            ours: dict[str, list[float]] = {kind: [] for kind in QUERIES}
            base: dict[str, list[float]] = {kind: [] for kind in QUERIES}
            hits: dict[str, tuple[int, int]] = {}
            for queries in QUERIES.values():  # warm both paths
                for q in queries:
                    hits[q] = (len(terminal.catalog.search(q).hits), len(baseline_query(conn, q)))
            for _ in range(repeat):
                for kind, queries in QUERIES.items():
                    for q in queries:
                        s = time.perf_counter()
                        terminal.catalog.search(q)
                        ours[kind].append(time.perf_counter() - s)
                        s = time.perf_counter()
                        baseline_query(conn, q)
                        base[kind].append(time.perf_counter() - s)
            conn.close()

    all_ours = [x for v in ours.values() for x in v]
    all_base = [x for v in base.values() for x in v]
    result = {
        "items": items,
        "queries": sum(len(v) for v in QUERIES.values()),
        "repeat": repeat,
        "generate_s": round(t1 - t0, 2),
        "import_s": round(t2 - t1, 2),
        "index_build_s": round(t3 - t2, 2),
        "kiosk": summary_ms(all_ours),
        "fts5_baseline": summary_ms(all_base),
        "by_kind": {
            kind: {"kiosk": summary_ms(ours[kind]), "fts5_baseline": summary_ms(base[kind])}
            for kind in QUERIES
        },
        "hits": {q: {"kiosk": a, "fts5_baseline": b} for q, (a, b) in hits.items()},
    }
    result["p50_ratio"] = round(result["kiosk"]["p50_ms"] / result["fts5_baseline"]["p50_ms"], 2)
    result["p95_ratio"] = round(result["kiosk"]["p95_ms"] / result["fts5_baseline"]["p95_ms"], 2)
    result["goal"] = {
        "p95_ratio_max": 2.0,
        "p95_ms_max": 16.0,
        "met": result["p95_ratio"] <= 2.0 and result["kiosk"]["p95_ms"] < 16.0,
    }
    return result


def print_report(result: dict) -> None:
    k, b = result["kiosk"], result["fts5_baseline"]
    print(
        f"catalog: {result['items']} items (generated {result['generate_s']} s, imported {result['import_s']} s, "
        f"index built {result['index_build_s']} s)"
    )
    print(f"queries: {result['queries']} (Chinese, full pinyin, initials) x {result['repeat']} runs")
    print(f"{'':16}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    print(f"{'kiosk search':16}{k['p50_ms']:>10.3f}{k['p95_ms']:>10.3f}{k['max_ms']:>10.3f}")
    print(f"{'raw FTS5':16}{b['p50_ms']:>10.3f}{b['p95_ms']:>10.3f}{b['max_ms']:>10.3f}")
    for kind, v in result["by_kind"].items():
        print(
            f"  {kind:14}{v['kiosk']['p50_ms']:>10.3f}{v['kiosk']['p95_ms']:>10.3f}   "
            f"(FTS5 {v['fts5_baseline']['p50_ms']:.3f} / {v['fts5_baseline']['p95_ms']:.3f})"
        )
    verdict = "met" if result["goal"]["met"] else "NOT met"
    print(
        f"ratio kiosk/FTS5: p50 {result['p50_ratio']}, p95 {result['p95_ratio']}  "
        f"(goal: p95 ratio <= 2 and p95 < 16 ms: {verdict})"
    )
