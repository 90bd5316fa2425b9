"""The customer's feedback page in headless Chromium: filled in and sent like a person would, on a
phone-sized window, and checked with axe-core (no violations) on the form, the thank-you page, the
page that says what to correct and the expired page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.customer_feedback import FeedbackLinks
from bot.lifecycle import InquiryDraft, InquiryService
from storage.models import CustomerRating
from tests.browser.conftest import OFFICE, axe_violations


def answered_item(runtime, served, *, resolve: bool = False) -> str:
    """An answered inquiry; its feedback link as the customer gets it (pointed at the test server)."""
    service = InquiryService(runtime.sessions, runtime.config, runtime.clock)
    view = service.log(
        actor="U1",
        draft=InquiryDraft(kind="email", subject="Export license status", customer_name="Jane Doe"),
    )
    if resolve:
        service.resolve(actor="U1", inquiry_id=view.id)
    else:
        service.acknowledge(actor="U1", inquiry_id=view.id)
    base = f"http://127.0.0.1:{served.port}"
    return (
        FeedbackLinks(runtime.sessions, runtime.config, runtime.clock, base)
        .link_for(actor="U1", inquiry_id=view.id)
        .url
    )


def _and_wait(browser, action) -> None:
    """Do something that loads a new page, and wait until the new page is there."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    # The old page is marked, and the wait is for a loaded page without the mark. (Waiting for
    # the old <html> element to go stale races the navigation: Chromium may answer "node does not
    # belong to the document" mid-load, which is an error, not staleness.)
    browser.execute_script("window.__old_page = true")
    action()
    WebDriverWait(browser, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.__old_page && document.readyState === 'complete'")
    )


def send(browser) -> None:
    from selenium.webdriver.common.by import By

    _and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click)


def follow(browser, text: str) -> None:
    from selenium.webdriver.common.by import By

    _and_wait(browser, browser.find_element(By.LINK_TEXT, text).click)


def fits_the_screen(browser) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_customer_rates_the_service_in_a_real_browser(browser, served, runtime):
    from selenium.webdriver.common.by import By

    browser.get(answered_item(runtime, served))
    assert browser.title == f"Rate our service, INQ-1, {OFFICE}"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert OFFICE in body and "INQ-1" in body and "Export license" not in body and "Jane" not in body
    assert fits_the_screen(browser)
    assert browser.execute_script("return document.scripts.length") == 0  # plain HTML, no JavaScript
    assert axe_violations(browser) == []

    browser.find_element(By.CSS_SELECTOR, "label[for=rating-4]").click()  # the words are the target
    browser.find_element(By.ID, "comment").send_keys("Quick & clear <thanks>")
    send(browser)

    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == "Thank you"
    assert "4 out of 5, satisfied" in browser.find_element(By.TAG_NAME, "main").text
    assert fits_the_screen(browser)
    assert axe_violations(browser) == []
    with runtime.sessions() as s:
        assert [(r.score, r.comment) for r in s.scalars(select(CustomerRating))] == [
            (4, "Quick & clear <thanks>")
        ]

    # Rate again: the page says there is a rating, and the new one replaces it.
    follow(browser, "rate inquiry INQ-1 again")
    assert "You rated it 4, satisfied" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.ID, "rating-2").click()
    send(browser)
    assert "2 out of 5, dissatisfied" in browser.find_element(By.TAG_NAME, "main").text
    with runtime.sessions() as s:
        assert [r.score for r in s.scalars(select(CustomerRating).order_by(CustomerRating.id))] == [4, 2]


def test_the_page_says_what_to_correct(browser, served, runtime):
    from selenium.webdriver.common.by import By

    browser.get(answered_item(runtime, served))
    browser.find_element(By.ID, "comment").send_keys("I forgot to choose")
    send(browser)
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert "Please correct this" in alert and "Choose a rating from 1 to 5." in alert
    assert browser.find_element(By.ID, "comment").get_attribute("value") == "I forgot to choose"  # kept
    # Each choice is announced as invalid and described by the error, not only their fieldset
    # (which not every screen reader reads out); the comment, which was fine, is not.
    radios = browser.find_elements(By.NAME, "rating")
    assert [(r.get_attribute("aria-invalid"), r.get_attribute("aria-describedby")) for r in radios] == [
        ("true", "rating-error")
    ] * 5
    assert browser.find_element(By.ID, "comment").get_attribute("aria-invalid") is None
    assert axe_violations(browser) == []
    with runtime.sessions() as s:
        assert s.scalars(select(CustomerRating)).all() == []


def test_the_expired_page_is_accessible_too(browser, served, runtime, clock):
    from selenium.webdriver.common.by import By

    url = answered_item(runtime, served, resolve=True)
    clock.advance(timedelta(days=31))
    browser.get(url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "This feedback link has expired"
    assert axe_violations(browser) == []


# Relative luminance and contrast ratio as WCAG 2.1 defines them (1.4.3, 1.4.11).
CONTRAST = """
const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05); };
"""


def test_a_keyboard_user_sees_where_the_focus_is(browser, served, runtime):
    """WCAG 2.1 1.4.11 and 2.4.7: tabbing through the form, each control shows a focus ring of at
    least 3:1 against the page around it (the ring sits 2px off the control, on the page)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(answered_item(runtime, served))
    body = browser.find_element(By.TAG_NAME, "body")
    seen = []
    for _ in range(4):  # the rating group (one stop), the comment, the button, then the footer's none
        body.send_keys(Keys.TAB) if not seen else browser.switch_to.active_element.send_keys(Keys.TAB)
        ring = browser.execute_script(
            CONTRAST + "const e = document.activeElement, s = getComputedStyle(e);"
            "return [e.id || e.tagName, s.outlineStyle, parseFloat(s.outlineWidth),"
            " ratio(s.outlineColor, getComputedStyle(document.body).backgroundColor)];"
        )
        if ring[0] == "BODY":
            break
        seen.append(ring[0])
        name, style, width, contrast = ring
        assert style != "none" and width >= 2, f"{name}: no visible focus ring"
        assert contrast >= 3, f"{name}: focus ring contrast {contrast:.2f}:1 against the page, under 3:1"
    assert seen == ["rating-5", "comment", "BUTTON"]


def test_the_form_reflows_at_320_css_pixels(browser, served, runtime):
    """WCAG 2.1 1.4.10: at 320 CSS pixels wide (1280 px zoomed to 400%) nothing scrolls sideways,
    on the form and on the page that says what to correct."""
    from selenium.webdriver.common.by import By

    url = answered_item(runtime, served)
    browser.set_window_size(320, 700)
    browser.get(url)
    assert browser.execute_script("return document.documentElement.clientWidth") <= 320
    assert fits_the_screen(browser)
    browser.find_element(By.ID, "comment").send_keys("x" * 200)
    send(browser)
    assert "Please correct this" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert fits_the_screen(browser)


def test_a_keyboard_alone_rates_the_service(browser, served, runtime):
    """WCAG 2.1.1: no mouse. Tab into the rating group, arrow keys to the choice, Tab to the comment
    and type, Tab to the button and press Enter: the rating is stored and the thank-you page shown."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(answered_item(runtime, served))
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("name") == "rating"
    focused.send_keys(Keys.ARROW_DOWN)  # the group lists 5 first: one choice down is 4
    chosen = browser.switch_to.active_element
    assert chosen.get_attribute("id") == "rating-4" and chosen.is_selected()
    chosen.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "comment"
    browser.switch_to.active_element.send_keys("Typed without a mouse")
    browser.switch_to.active_element.send_keys(Keys.TAB)
    button = browser.switch_to.active_element
    assert button.get_attribute("type") == "submit"
    _and_wait(browser, lambda: button.send_keys(Keys.ENTER))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thank you"
    with runtime.sessions() as s:
        assert [(r.score, r.comment) for r in s.scalars(select(CustomerRating))] == [
            (4, "Typed without a mouse")
        ]


def clipped(browser) -> list[str]:
    """Elements whose text runs out of their box, or that stick out of the page sideways."""
    return browser.execute_script(
        "const w = document.documentElement.clientWidth;"
        "return [...document.querySelectorAll('main *')].filter(e =>"
        " e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'"
        " || e.getBoundingClientRect().right > w + 1).map(e => e.id || e.tagName);"
    )


def test_the_form_reads_at_200_percent_zoom_and_with_text_at_200_percent(browser, served, runtime):
    """WCAG 1.4.4: a desktop window (1280 px) zoomed to 200% is 640 CSS pixels wide; the form and the
    page that says what to correct fit, and text enlarged to 200% on its own clips nothing."""
    from selenium.webdriver.common.by import By

    url = answered_item(runtime, served)
    browser.set_window_size(640, 720)
    browser.get(url)
    assert fits_the_screen(browser) and clipped(browser) == []
    browser.execute_script("document.documentElement.style.fontSize = '200%'")
    assert fits_the_screen(browser) and clipped(browser) == []
    send(browser)  # nothing chosen: the page says what to correct
    assert "Please correct this" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    browser.execute_script("document.documentElement.style.fontSize = '200%'")
    assert fits_the_screen(browser) and clipped(browser) == []
    assert axe_violations(browser) == []


def test_the_form_works_with_javascript_turned_off(browser, served, runtime):
    """A browser that runs no script (a locked-down agency desktop) rates as well: the page needs
    none, and the form posts and answers as plain HTML."""
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.get(answered_item(runtime, served))
    assert browser.execute_script("return document.title").startswith("Rate our service")
    browser.find_element(By.CSS_SELECTOR, "label[for=rating-5]").click()
    browser.find_element(By.ID, "comment").send_keys("No script needed")
    send(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thank you"
    with runtime.sessions() as s:
        assert [(r.score, r.comment) for r in s.scalars(select(CustomerRating))] == [(5, "No script needed")]


def test_the_page_of_a_closed_inquiry_is_accessible_too(browser, served, runtime):
    from selenium.webdriver.common.by import By

    url = answered_item(runtime, served)
    InquiryService(runtime.sessions, runtime.config, runtime.clock).close(
        actor="U1", inquiry_id=1, reason="withdrawn", note="the customer withdrew it by phone"
    )
    browser.get(url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "This inquiry takes no rating"
    assert axe_violations(browser) == []
