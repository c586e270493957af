"""One walk through the console in Debian's Chromium (Selenium, /usr/bin/chromedriver, headless) against a real
``kiosk center serve`` process on 127.0.0.1 with terminals heartbeating over signed HTTP: sign in, filter the fleet
(htmx replaces the table and the address follows), open a terminal, send a command and confirm it, the terminal's
next heartbeat reports its result and the page shows it, pause the rollout. A screenshot of each page, in Chinese
and in English, is left in the temporary folder (console-*.png) to look at."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.center import commands, rollout
from kiosk.protocol import secret_to_hex
from tests.center_support import CenterDb, CenterProcess, KioskAuth
from tests.console_support import PASSWORD, SimulatedTerminal, prepare

CHROMEDRIVER = Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="Debian's chromium-driver is not installed")
WAIT_S = 10


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    profile = tempfile.mkdtemp(prefix="console-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,800",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_an_operator_walks_through_the_console_in_chromium(browser: object, center_db: CenterDb) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver: WebDriver = browser  # type: ignore[assignment]
    prepare(center_db)
    store = center_db.store()
    center = CenterProcess(center_db)
    shots = Path(tempfile.gettempdir())
    try:
        terminals = []
        for name, region, unit in (
            ("太平镇", "广州市/从化区", "太平镇政务服务中心"),
            ("石牌街", "广州市/天河区", "石牌街党群服务中心"),
            ("大桥镇", "韶关市/乳源县", "大桥镇便民服务站"),
        ):
            added = store.add_terminal(name)
            store.place_terminal(added.terminal_id, region=region, unit=unit)
            auth = KioskAuth(added.terminal_id, secret_to_hex(added.secret))
            terminal = SimulatedTerminal(center.url, added.terminal_id, auth)
            terminal.beat(devices=[{"role": "ticket", "backend": "escpos", "health": "ok"}], outbox_backlog=3)
            terminals.append(terminal)
        village = terminals[0]
        rollout.start(store, "1.4.0", rings=["pilot", "100%"], pilot=[village.id])
        wait = WebDriverWait(driver, WAIT_S)

        def shot(name: str) -> None:
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(1280, max(800, min(int(height) + 140, 2400)))
            driver.save_screenshot(str(shots / f"console-{name}.png"))
            driver.set_window_size(1280, 800)

        # Sign in.
        driver.get(center.url + "/console/")
        wait.until(until.presence_of_element_located((By.NAME, "name")))
        shot("signin-zh")
        driver.find_element(By.NAME, "name").send_keys("oscar")
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button.primary").click()
        wait.until(until.presence_of_element_located((By.ID, "fleet-table")))
        assert "oscar · 操作员" in driver.page_source
        assert len(driver.find_elements(By.CSS_SELECTOR, "#fleet tbody tr")) == 3

        # Filter the fleet: htmx replaces the table, the address follows.
        table = driver.find_element(By.ID, "fleet-table")
        Select(driver.find_element(By.NAME, "region")).select_by_visible_text("广州市/从化区")
        wait.until(until.staleness_of(table))
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#fleet tbody tr")) == 1)
        wait.until(lambda d: "region=" in d.current_url)
        shot("fleet-zh")
        # "/" puts the cursor in the search box.
        driver.find_element(By.TAG_NAME, "body").send_keys("/")
        assert driver.switch_to.active_element.get_attribute("name") == "text"

        # Open the terminal; send a command and confirm it.
        driver.find_element(By.LINK_TEXT, village.id).click()
        wait.until(until.presence_of_element_located((By.ID, "command-panel")))
        driver.find_element(By.CSS_SELECTOR, "button[value=restart_program]").click()
        confirm = wait.until(until.element_to_be_clickable((By.ID, "confirm-command")))
        assert "确定要让这台终端重启程序吗？" in driver.page_source
        assert commands.listed(store, village.id) == []
        confirm.click()
        wait.until(until.text_to_be_present_in_element((By.ID, "command-result"), "已发送“重启程序”"))
        wait.until(until.text_to_be_present_in_element((By.ID, "commands"), "等待终端执行"))

        # The terminal's next heartbeat gets it; the one after reports its result, which the page shows by itself.
        answer = village.beat()
        (command,) = answer.commands
        assert command.kind == "restart_program"
        village.report(command.id, "done", "restarted after the session")
        village.beat()
        wait.until(until.text_to_be_present_in_element((By.ID, "commands"), "已完成"))
        assert "restarted after the session" in driver.find_element(By.ID, "commands").text
        shot("terminal-zh")

        # Pause the rollout.
        driver.find_element(By.LINK_TEXT, "版本发布").click()
        wait.until(until.element_to_be_clickable((By.ID, "pause-rollout"))).click()
        wait.until(until.text_to_be_present_in_element((By.ID, "main"), "发布已暂停。"))
        assert rollout.latest(store).state == "paused"  # type: ignore[union-attr]
        shot("rollouts-zh")

        # The same pages in English.
        driver.find_element(By.CSS_SELECTOR, "button[value=en]").click()
        wait.until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Rollouts"))
        assert "The rollout is paused." in driver.page_source
        shot("rollouts-en")
        driver.get(center.url + "/console/fleet")
        wait.until(until.presence_of_element_located((By.ID, "fleet-table")))
        assert "Online" in driver.page_source
        shot("fleet-en")
        driver.get(f"{center.url}/console/terminals/{village.id}")
        wait.until(until.text_to_be_present_in_element((By.ID, "commands"), "Done"))
        shot("terminal-en")
        problems = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert [
            p for p in problems if "favicon" not in p["message"]
        ] == []  # no CSP refusals, no script errors
    finally:
        center.close()
        store.close()
