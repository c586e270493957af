"""Shared fixtures: real settings in a temporary data directory, a real SQLite cache, a small real catalog."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from kiosk.config import Settings, load_settings
from kiosk.services.terminal import Terminal


def make_item(
    code: str,
    name: str,
    *,
    department: tuple[str, str] = ("RS", "市人力资源和社会保障局"),
    categories: list[str] | None = None,
    themes: list[str] | None = None,
    keywords: list[str] | None = None,
    version: int = 1,
    conditions: list[str] | None = None,
    online_url: str | None = "https://www.gdzwfw.gov.cn/portal/guide/" + "X",
) -> dict:
    return {
        "code": code,
        "name": name,
        "department": {"code": department[0], "name": department[1]},
        "categories": categories if categories is not None else ["社会保障"],
        "themes": themes or [],
        "keywords": keywords or [],
        "handling": {
            "type": "即办件",
            "time_limit_days": 0,
            "fee": "不收费",
            "online_url": online_url,
            "locations": [
                {
                    "name": "区政务服务中心 3号窗口",
                    "address": "清城区人民一路1号",
                    "hours": "周一至周五 9:00-17:30",
                    "phone": "0763-3388000",
                }
            ],
        },
        "conditions": conditions or ["本人持有效居民身份证办理"],
        "materials": [
            {"name": "居民身份证原件", "required": True, "copies": 1, "note": "核验后退还"},
            {"name": "一寸近期免冠彩色照片", "required": False, "copies": 2, "note": ""},
        ],
        "legal_basis": ["《中华人民共和国社会保险法》第五十八条"],
        "version": version,
        "updated_at": "2026-10-01T09:00:00+08:00",
        "deleted": False,
    }


SMALL_ITEMS = [
    make_item("RS-001", "社保卡补换卡", keywords=["补卡", "丢了"], themes=["退休一件事"]),
    make_item("RS-002", "社保卡挂失", keywords=["挂失", "丢失"]),
    make_item("RS-003", "社保卡", keywords=["社会保障卡"]),
    make_item("RS-004", "社保卡启用"),
    make_item("RS-005", "城乡居民基本养老保险参保登记", keywords=["养老", "参保"], themes=["退休一件事"]),
    make_item("RS-006", "失业保险金申领", keywords=["失业金", "领钱"], categories=["就业创业", "社会保障"]),
    make_item("RS-007", "办理社保卡的进度查询", keywords=["进度"]),
    make_item(
        "MZ-001",
        "最低生活保障申请",
        department=("MZ", "市民政局"),
        keywords=["低保"],
        categories=["民政救助"],
        conditions=["家庭人均收入低于当地低保标准，持社保卡或身份证申请"],
    ),
    make_item(
        "MZ-002",
        "临时救助申请",
        department=("MZ", "市民政局"),
        keywords=["救助", "困难"],
        categories=["民政救助"],
    ),
    make_item(
        "GA-001",
        "居民身份证换领",
        department=("GA", "市公安局"),
        keywords=["身份证到期", "换证"],
        categories=["户籍办理"],
        online_url=None,
    ),
    make_item(
        "GA-002",
        "出生登记",
        department=("GA", "市公安局"),
        keywords=["上户口", "新生儿"],
        categories=["户籍办理", "婚姻生育"],
        themes=["新生儿出生一件事"],
    ),
    make_item(
        "WJ-001",
        "生育登记",
        department=("WJ", "市卫生健康局"),
        keywords=["准生证"],
        categories=["婚姻生育"],
        themes=["新生儿出生一件事"],
    ),
]


def catalog_document(items: list[dict] | None = None) -> dict:
    return {"format": "kiosk-catalog/1", "items": copy.deepcopy(items if items is not None else SMALL_ITEMS)}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        environ={},
        overrides={"terminal_id": "QY-QC-0001", "fullscreen": False, "voice_engine": "mock"},
    )


@pytest.fixture
def terminal(settings: Settings):
    with Terminal.open(settings) as term:
        yield term


@pytest.fixture
def small_catalog_file(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_document(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def catalog_terminal(terminal: Terminal, small_catalog_file: Path) -> Terminal:
    terminal.catalog.import_file(small_catalog_file)
    return terminal


# The touch UI's fixtures (the real terminal under the real QML scene, offscreen) live in ui_support.py.
from ui_support import kiosk, pin_hash, qapp_cls, ui_settings  # noqa: E402, F401

# The center's database in tests (docs/center.md, "Database"): SQLite unless the run asks for PostgreSQL.
# scripts/test.sh runs the center's test files a second time with --center-db=postgresql. A test joins that pass by
# taking its database from the ``center_db`` fixture (tests/center_support.py: CenterDb) instead of a path.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--center-db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the backend of the center's tests that take the center_db fixture (postgresql: a throwaway cluster)",
    )


def postgres_missing(why: str) -> None:
    """Skip a test that needs PostgreSQL where none is installed, except in CI, where that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is needed and not usable here: {why}")
    pytest.skip(why)


@pytest.fixture(scope="session")
def pg_cluster():  # type: ignore[no-untyped-def]
    """A throwaway PostgreSQL cluster for the session (kiosk.center.pgcluster); skipped when none is installed on a
    developer's machine, a failure in CI (scripts/setup.sh installs it there: a silent skip would hide the pass)."""
    from kiosk.center.pgcluster import PostgresUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except PostgresUnavailable as exc:
        postgres_missing(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def center_db(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The center's database for one test, on the run's backend (``--center-db``): a SQLite file in tmp_path, or
    a fresh PostgreSQL database with its key file in tmp_path."""
    from tests.center_support import new_center_db

    return new_center_db(request, tmp_path)
