"""In English, every string a citizen meets is English: the screens that show what the domain, the services and the
drivers report (answer checks, ratings, case states and badges, the identity prompt, device health, printer
faults, the printed guide) are walked in English, and Chinese may remain only where it is Chinese by nature: the
center's content (a service, a department, a form's own labels, a staff member's note), the citizen's own data
(their name, an address they typed) and the language button that offers 中文."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pdftext import compact, normalize, pdf_text
from ui_support import settle, texts

from kiosk.resources_path import resources_dir
from kiosk.roles.kiosk.screenshots import ScreenDriver

# Ideographs, and the full-width punctuation that would give away a Chinese sentence (，。：（）“”).
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

SCREENS = (
    "home",
    "guide",
    "identify",
    "maintenance",
    "idle-warning",
    "form-step-problems",
    "form-review",
    "form-print-failed",
    "form-no-printer",
    "rating-entry",
    "rating-details",
    "rating-missing-reason",
    "rating-done",
    "rating-refused",
    "progress-ready",
    "progress-offline",
    "progress-error",
    "home-hall",
    "queue-services",
    "queue-ticket",
    "queue-ticket-no-paper",
    "queue-checkin",
    "queue-checkin-early",
    "queue-unreachable",
    "queue-take-lost",
)

# Chinese on purpose: the buttons that switch to Chinese (the header's, the keyboard's), and the search box's
# example of Chinese to type.
CHINESE_ON_PURPOSE = ("中文", "EN/中", "社保卡")


def strings(value: Any) -> Iterator[str]:
    """Every text inside a value: JSON documents, dataclasses, lists, dicts."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def content_of_the_center_and_the_citizen(ui: Any, catalog_file: Path) -> list[str]:
    """What is Chinese by nature on these screens, longest first."""
    from drivers.idcard.cards import SAMPLES
    from kiosk.ui.features.progress.progress_screen import _demo_result
    from kiosk.ui.features.queue.queue_screen import _demo_answer, _demo_hall

    citizen = SAMPLES["elder"]
    found: set[str] = {*strings(json.loads(catalog_file.read_text(encoding="utf-8")))}
    for path in (resources_dir() / "demo" / "forms").glob("*.json"):
        found |= {*strings(json.loads(path.read_text(encoding="utf-8")))}
    found |= {*strings(_demo_result(citizen, online=True))}
    found |= {
        *strings(_demo_hall().model_dump()),
        *strings(_demo_answer(_demo_hall()).model_dump()),
    }  # the hall's
    found |= {*strings(citizen), citizen.masked_name, citizen.masked_id_number}
    found |= {
        "广东省清远市清新区太平镇禾丰村委会下围村12号",
        "汉族",
        *CHINESE_ON_PURPOSE,
    }  # typed on the form
    return sorted((s for s in found if s), key=len, reverse=True)


def leftover_chinese(text: str, content: Iterable[str]) -> str:
    """``text`` without the content it shows; what remains should hold no Chinese."""
    before = None
    while before != text:
        before = text
        for piece in content:
            text = text.replace(piece, "")
    return "".join(CHINESE.findall(text))


@pytest.fixture
def english(kiosk: Any, qtbot: Any) -> Any:
    from kiosk.services.forms.demo import seed_demo_forms

    seed_demo_forms(kiosk.terminal.database)  # the forms on offer, as in demo mode
    kiosk.app_state.setProperty("language", "en")
    settle(kiosk, qtbot)
    return kiosk


def test_every_screen_of_the_citizen_speaks_english(
    english: Any, qtbot: Any, small_catalog_file: Path
) -> None:
    driver = ScreenDriver(english)
    content = content_of_the_center_and_the_citizen(english, small_catalog_file)
    left: dict[str, list[str]] = {}
    for screen in SCREENS:
        driver.go(screen)
        settle(english, qtbot)
        for text in texts(english):
            chinese = leftover_chinese(text, content)
            if chinese:
                left.setdefault(screen, []).append(f"{text!r} (left: {chinese})")
    assert left == {}


def test_the_printed_guide_in_english_keeps_only_the_items_own_words(
    english: Any, qtbot: Any, small_catalog_file: Path
) -> None:
    driver = ScreenDriver(english)
    driver.go("print-preview")
    assert english.preview.state == "ready"
    pdf = next((english.settings.data_dir / "tmp").glob("*.pdf"))
    item = english.guide.item()
    own_words = [compact(normalize(s)) for s in strings(item)]
    foreign = []
    for line in pdf_text(pdf).splitlines():
        # A line is a label, the item's own words, or a label and the words after it ("Address: 清远市…").
        words = re.sub(r"^(\d+\.|[A-Za-z/]+:)", "", compact(line))
        if CHINESE.search(words) and not any(words in own for own in own_words):
            foreign.append(line)
    assert foreign == []
    assert (
        "working days" in pdf_text(pdf) or "1 working day" in pdf_text(pdf) or "On the spot" in pdf_text(pdf)
    )


def test_what_is_on_screen_follows_a_switch_of_language(kiosk: Any, qtbot: Any) -> None:
    """A message shown before the switch is said again in the new language, not left in the old one."""
    from kiosk.services.forms.demo import seed_demo_forms

    seed_demo_forms(kiosk.terminal.database)
    driver = ScreenDriver(kiosk)
    driver.go("rating-missing-reason")
    assert kiosk.rating.problems["reasons"] == "请至少选择一项不满意的原因"
    driver.go("form-step-problems")
    assert any("请填写手机号码" in t for t in texts(kiosk))
    kiosk.app_state.setProperty("language", "en")
    settle(kiosk, qtbot)
    assert any("Please enter a mobile number (11 digits)" in t for t in texts(kiosk))
    assert not any("请填写手机号码" in t for t in texts(kiosk))


def test_counts_take_the_singular_and_the_plural(qapp: Any) -> None:
    from PySide6.QtCore import QCoreApplication

    from kiosk.ui.translations import Translations

    translations = Translations(qapp)
    translations.switch("en")
    try:
        said = [QCoreApplication.translate("GuideScreen", "%n 个工作日", "", n) for n in (1, 3)]
        assert said == ["1 working day", "3 working days"]
        assert QCoreApplication.translate("HomeScreen", "共 %n 个部门", "", 1) == "1 department"
    finally:
        translations.switch("zh_CN")
    assert QCoreApplication.translate("GuideScreen", "%n 个工作日", "", 1) == "1 个工作日"
