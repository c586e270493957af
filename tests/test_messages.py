"""Messages of the domain, the services and the drivers: a stable code with parameters and a Chinese default, and
every code translated into English in the catalog the UI uses."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import xml.etree.ElementTree as ET
from datetime import UTC

import pytest

from kiosk.domain.messages import define, defined, fields_of
from kiosk.ui.messages import CONTEXT, MESSAGE_MODULES, translate, wordings
from kiosk.ui.translations import Translations, catalog_path

# Modules that need hardware libraries or a running center to import are still plain Python: all are imported.
PACKAGES = ("drivers", "kiosk.domain", "kiosk.services")


def import_everything() -> None:
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(module.name)


def english_entries() -> dict[str, ET.Element]:
    root = ET.parse(catalog_path("en", ".ts")).getroot()
    for context in root.iter("context"):
        if context.findtext("name") == CONTEXT:
            return {m.findtext("comment") or "": m for m in context.iter("message")}
    return {}


def test_a_message_reads_as_its_chinese_default_and_carries_its_code():
    wording = define("test.example", "最多填写{n}个字，现在有{m}个字")
    message = wording(n=100, m=120)
    assert message == "最多填写100个字，现在有120个字" and str(message) == message
    assert (message.code, message.template, dict(message.params)) == (
        "test.example",
        wording.template,
        {"n": 100, "m": 120},
    )
    assert message.plural_count == 100
    assert f"{message}" == "最多填写100个字，现在有120个字"  # logs and the command line read the Chinese
    assert pickle.loads(pickle.dumps(message)).code == "test.example"
    with pytest.raises(AttributeError):
        message.code = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        wording(n=1)  # a field left out is a mistake, not a "{m}" on screen
    with pytest.raises(ValueError):
        define("test.example", "另一种说法")  # one code, one wording


def test_every_wording_a_screen_may_show_is_listed_for_the_translators():
    import_everything()
    unlisted = {w.module for w in defined().values() if w.module.startswith(PACKAGES)} - set(MESSAGE_MODULES)
    assert unlisted == set(), "modules that declare messages: add them to kiosk.ui.messages.MESSAGE_MODULES"
    assert {c for c, w in defined().items() if w.module.startswith(PACKAGES)} <= set(wordings())
    assert len(MESSAGE_MODULES) == len(set(MESSAGE_MODULES))


def test_every_code_has_an_english_translation_with_the_same_fields():
    entries = english_entries()
    for code, wording in wordings().items():
        entry = entries.get(code)
        assert entry is not None, f"{code} is not in kiosk_en.ts: run `python -m kiosk.ui.translations`"
        assert entry.findtext("source") == wording.template, f"{code}: the catalog has an older Chinese text"
        translation = entry.find("translation")
        assert translation is not None and translation.get("type") is None, f"{code} is not translated"
        forms = [f.text or "" for f in translation.findall("numerusform")] or [translation.text or ""]
        assert all(text.strip() for text in forms), f"{code} has an empty English text"
        for text in forms:
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{code}: Chinese in the English text"
            assert fields_of(text) <= wording.fields, f"{code}: the English names a field the message lacks"
        if "n" in wording.fields:
            assert len(forms) == 2, f"{code} counts something: it needs the singular and the plural"


@pytest.fixture
def english(qapp):
    translations = Translations(qapp)
    translations.switch("en")
    yield translations
    translations.switch("zh_CN")


def test_the_ui_says_a_message_in_the_language_shown(english):
    from drivers.printer.jobs import message_for
    from kiosk.domain.forms import MSG_FILL, MSG_TOO_LONG
    from kiosk.domain.rating import Rating, RatingSubject

    assert (
        translate(message_for("paper_out")) == "The printer is out of paper. Please ask staff to refill it."
    )
    assert translate(MSG_FILL(label="联系电话")) == "Please fill in 联系电话"  # the form's own words stay
    assert translate(MSG_TOO_LONG(n=1, m=3)) == "At most 1 character; you have 3"
    assert translate(MSG_TOO_LONG(n=100, m=120)) == "At most 100 characters; you have 120"
    # A message inside a message is translated too.
    from datetime import datetime

    rating = Rating(RatingSubject.session("T-1", "s1"), 4, datetime.now(UTC), attitude=9)
    assert translate(rating.problems()[0].message) == "Please give “Attitude” a score from 1 to 5"
    assert translate("清远市民政局") == "清远市民政局"  # not a message: shown as it is
    english.switch("zh_CN")
    assert translate(message_for("paper_out")) == "打印机缺纸，请联系工作人员补纸后重试"
    assert translate(MSG_TOO_LONG(n=1, m=3)) == "最多填写1个字，现在有3个字"


def test_a_retained_print_job_keeps_the_code_of_its_message():
    from drivers.printer.jobs import JobState, PrintJob, message_for

    failed = PrintJob(id="1", title="t", printer="pdf", state=JobState.FAILED, code="paper_out",
                      message=message_for("paper_out"))  # fmt: skip
    again = PrintJob.from_dict(failed.to_dict())
    assert again.message == failed.message and getattr(again.message, "code", "") == "printer.paper_out"
