"""The creator's broadcast journey in a real browser on the demo seed: a template written, a
broadcast of it to a segment created, dry-run (the count and sample messages shown), approved
once on the Approvals page (listed there in plain words), and its deliveries shown once a job run
has written them. A chatter has no such view."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from agent.broadcast_jobs import send_due
from auth.operator import app_connection
from tests.e2e.conftest import DemoApp
from tests.e2e.page import Page


@pytest.fixture
def page(demo: DemoApp, browser: WebDriver) -> Iterator[Page]:
    page = Page(browser, demo.live.url)
    page.width(1440)
    page.open()
    yield page
    assert page.console_errors() == []


def test_the_owner_creates_dry_runs_and_approves_a_broadcast(demo: DemoApp, page: Page) -> None:
    page.signed_in(demo.chatter_key)
    page.element('[data-testid="tab-segments"]')
    assert not page.by_id("tab-broadcasts").is_displayed()  # chatters never broadcast

    page.signed_in(demo.owner_key)
    page.element('[data-testid="tab-broadcasts"]').click()
    page.element('[data-testid="template-name"]').send_keys("Weekend drop")
    page.by_id("template-body").send_keys(
        "hey {fan_name}, {memory|thinking of you}! {media_title} is yours for {media_price}"
    )
    page.by_id("template-save").click()
    page.text_of("template-status", 'Saved "Weekend drop"')

    page.by_id("broadcast-name").send_keys("Weekend drop to the top quartile")
    Select(page.by_id("broadcast-template")).select_by_visible_text("Weekend drop")
    Select(page.by_id("broadcast-segment")).select_by_visible_text("Top loyalty quartile")
    Select(page.by_id("broadcast-media")).select_by_index(1)
    page.by_id("broadcast-hours").clear()  # the demo's fans were all written to lately
    page.by_id("broadcast-save").click()
    page.text_of("broadcast-title", "Weekend drop to the top quartile")
    page.text_of("broadcast-summary", "awaiting approval")
    page.screenshot("broadcast-1-created")

    page.by_id("broadcast-dry-run").click()
    count = page.text_of("dry-run-count", "fans would get it")
    assert int(count.split()[0]) > 0
    samples = page.all('[data-testid="dry-run-sample"]')
    assert 1 <= len(samples) <= 5
    assert "is yours for $" in samples[0].text
    page.screenshot("broadcast-2-dry-run")

    # Approved where owners look for what waits: the Approvals page, in plain words.
    page.by_id("tab-approvals").click()
    waiting = '[data-testid="approval-item"][data-action="send_broadcast"]'
    listed = page.wait(lambda: page.element(waiting).text or None)
    assert listed.startswith(
        f"Send the broadcast 'Weekend drop to the top quartile' to {count.split()[0]} fan"
    )
    assert "of 'Top loyalty quartile', offering '" in listed
    page.wait(lambda: clicked(page, waiting))
    page.text_of("approval-summary", "Send the broadcast")
    page.by_id("approve").click()
    page.text_of("approval-status", "approved")
    page.screenshot("broadcast-approved-in-approvals")
    page.by_id("tab-broadcasts").click()
    page.wait(lambda: clicked(page, '[data-testid="broadcast"]'))  # the list loads twice
    page.text_of("broadcast-summary", "approved")
    with app_connection(demo.target) as conn:
        assert send_due(conn, lambda: datetime.now(UTC)) == 1  # what a job worker does
    page.text_of("broadcast-summary", "queued")  # the page polls while it sends
    page.element('[data-testid="delivery"]')  # its deliveries, once loaded
    page.screenshot("broadcast-3-sent")


def clicked(page: Page, css: str) -> bool:
    """The first element matching `css` clicked (a stale one is retried by `page.wait`)."""
    page.element(css).click()
    return True
