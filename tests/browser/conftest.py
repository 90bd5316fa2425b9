"""A real browser on the customer's feedback page: Debian's headless Chromium driven by Selenium
through Debian's chromedriver (nothing downloaded at run time), and axe-core from npm (installed
into tests/browser/node_modules by .ci/run, pinned in package-lock.json) for the accessibility check.

Without Chromium or axe-core these tests are skipped with the reason, unless
INQUIRYBOT_REQUIRE_BROWSER=1 (CI sets it), when they fail instead: never a silent skip in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config.loading import config_from_dict
from bot.config.runtime import Runtime
from bot.config.settings import Settings
from bot.time.clock import FixedClock

HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
START = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
OFFICE = "Office of Export Licensing"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=390,844",
)  # a phone's width


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        return f"{CHROMIUM} / {CHROMEDRIVER} missing: apt-get install chromium chromium-driver"
    if not AXE.exists():
        return f"{AXE} missing: npm ci --prefix tests/browser"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium missing: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="session")
def browser_ready() -> None:
    reason = _missing()
    if reason:
        if os.environ.get("INQUIRYBOT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests need: {reason}")
        pytest.skip(reason)


@pytest.fixture
def browser(browser_ready, tmp_path) -> Iterator:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not fetch anything
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def runtime(database_url, engine, sessions, clock) -> Runtime:
    # The page needs no Slack: the Web API address is never called here.
    settings = Settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="s" * 32,
        slack_api_url="http://127.0.0.1:9/api/",
        public_url="http://127.0.0.1",
        office_name=OFFICE,
    )
    config = config_from_dict({"teams": {"desk": {"timezone": "America/New_York", "members": ["U1"]}}})
    return Runtime(settings, config, engine, sessions, clock)


@pytest.fixture
def served(runtime) -> Iterator:
    """The whole app as `inquirybot serve` runs it (waitress; Slack's endpoint beside the page)."""
    from tests.slack.harness import ServedApp

    app = ServedApp(runtime)
    yield app
    app.stop()


def axe_violations(driver) -> list[dict]:
    """axe-core injected into the page, run for WCAG 2.0 and 2.1 A and AA plus its best practices."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.html)}))), e => done([{id: 'axe-error', help: String(e)}]));"
    )
