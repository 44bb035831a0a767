"""The two journeys of the workspace, end to end in a real browser on the demo seed (as `make
run` loads it), at desktop and phone widths, with a screenshot of each step in
.artifacts/screenshots (for people; no test compares them):

- the agency chatter (two creators) picks the creator, takes the top fan of "awaiting reply",
  reads the conversation and the dossier, drafts, edits, sends, and sees the reply wait for
  approval in the thread;
- the creator finds it in the approvals in plain words, bulk-rejects two others, approves it,
  and the chatter's thread shows it queued for delivery.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from tests.agent.fakes import says
from tests.e2e.conftest import DemoApp
from tests.e2e.page import Page

DESKTOP, PHONE = 1440, 390


@pytest.fixture
def page(demo: DemoApp, browser: WebDriver) -> Iterator[Page]:
    page = Page(browser, demo.live.url)
    page.width(DESKTOP)
    page.open()
    yield page
    page.width(1280, 1000)
    assert page.console_errors() == []
    assert demo.live.model.replies == [], "the test left scripted replies unused"


def owners_creator(demo: DemoApp) -> str:
    [creator] = demo.live.get("/v1/me", demo.owner_key)["creators"]
    return str(creator["id"])


def awaiting(demo: DemoApp, creator: str) -> list[dict[str, Any]]:
    path = "/v1/inbox?tab=awaiting_reply&limit=10"
    page = demo.live.get(path, demo.chatter_key, creator=creator)
    entries: list[dict[str, Any]] = page["entries"]
    return entries


def chatter_sends(demo: DemoApp, fan: str, text: str) -> None:
    sent = demo.live.post(f"/v1/fans/{fan}/replies", {"text": text}, demo.chatter_key)
    assert sent["state"] == "awaiting_approval"


def open_top_fan(page: Page, name: str) -> str:
    """Opens the first fan of the awaiting-reply queue (the tab the workspace starts on)."""
    tab = page.element('[data-testid="queue-tab"][data-tab="awaiting_reply"]')
    assert tab.get_attribute("aria-selected") == "true"
    top = page.element('[data-testid="fan-item"]')
    assert top.get_attribute("data-awaiting") == "true"
    fan = str(top.get_attribute("data-id"))
    top.click()
    page.text_of("fan-title", name)
    page.element('[data-testid="message"][data-direction="inbound"]')
    return fan


def test_a_reply_goes_from_the_chatter_through_the_creator_to_the_outbox(
    demo: DemoApp, page: Page
) -> None:
    creator = owners_creator(demo)
    queue = awaiting(demo, creator)
    assert len(queue) >= 3, "the demo has fans awaiting a reply"
    top, second, third = queue[:3]

    # The chatter: two creators to pick from, no approvals tab.
    page.signed_in(demo.chatter_key, creator)
    assert page.by_id("role").text == "chatter"
    assert len(page.all('[data-testid="creator-select"] option')) == 2
    assert not page.by_id("tab-approvals").is_displayed()
    page.element(f'[data-testid="fan-item"][data-id="{top["fan_id"]}"]')
    page.screenshot("desktop-1-chatter-queue")

    fan = open_top_fan(page, top["display_name"])
    assert fan == str(top["fan_id"])
    page.element('[data-testid="profile"] dd')  # the dossier beside the conversation
    assert page.by_id("fan-title").is_displayed() and page.by_id("dossier").is_displayed()
    page.screenshot("desktop-2-conversation")

    demo.live.model.replies.append(says("aww hey, i was just thinking about you"))
    page.by_id("draft-button").click()
    composer = page.element('[data-testid="composer-text"][data-done="true"]')
    assert composer.get_attribute("value") == "aww hey, i was just thinking about you"
    composer.send_keys(" ♥")
    page.screenshot("desktop-3-draft-edited")
    page.by_id("send").click()
    page.text_of("composer-state", "Sent for the creator's approval.")
    waiting = page.element('[data-testid="message"][data-status="awaiting_approval"]')
    assert "thinking about you ♥" in waiting.text
    page.screenshot("desktop-4-waiting-for-approval")

    # Two other replies wait too; the creator rejects both at once and approves the first.
    chatter_sends(demo, str(second["fan_id"]), "hey you, how was your day?")
    chatter_sends(demo, str(third["fan_id"]), "miss me?")
    page.signed_in(demo.owner_key)
    assert page.by_id("role").text == "owner"
    page.text_of("approvals-count", "3")
    page.by_id("tab-approvals").click()
    items = page.wait(
        lambda: (
            (found := page.all('[data-testid="approval-item"]'))
            and (found if len(found) == 3 else None)
        )
    )
    mine = next(i for i in items if "thinking about you" in i.text)
    assert top["display_name"] in mine.text and "send_message" not in mine.text
    for item in items:
        if item is not mine:
            row = item.find_element(By.XPATH, "..")
            row.find_element(By.CSS_SELECTOR, '[data-testid="approval-check"]').click()
    page.by_id("bulk-reason").send_keys("too pushy for today")
    page.screenshot("desktop-5-approvals-bulk")
    page.by_id("bulk-reject").click()
    page.text_of("approvals-status", "2 rejected")
    rejected = demo.live.get("/v1/approvals?status=rejected", demo.owner_key)
    assert {r["fan_id"] for r in rejected} == {str(second["fan_id"]), str(third["fan_id"])}

    page.element('[data-testid="approval-item"]').click()
    page.text_of("approval-summary", top["display_name"])
    assert page.by_id("field-text").get_attribute("value") == (
        "aww hey, i was just thinking about you ♥"
    )
    page.by_id("approve").click()
    page.text_of("outcome-state", "queued for delivery")
    page.screenshot("desktop-6-approved")

    # Back to the chatter: the reply is on its way.
    page.signed_in(demo.chatter_key, creator)
    page.by_id("fan-search").send_keys(top["display_name"])
    page.element(f'[data-testid="fan-item"][data-id="{fan}"]').click()
    queued = page.element('[data-testid="message"][data-status="queued"]')
    assert "thinking about you ♥" in queued.text and "queued for delivery" in queued.text
    page.screenshot("desktop-7-queued")


def test_the_chatter_works_on_a_phone(demo: DemoApp, page: Page) -> None:
    creator = owners_creator(demo)
    page.width(PHONE, 844)
    page.signed_in(demo.chatter_key, creator)
    assert not page.overflows(), "the page is wider than the phone"
    top = awaiting(demo, creator)[0]
    page.element(f'[data-testid="fan-item"][data-id="{top["fan_id"]}"]')
    page.screenshot("phone-1-queue")

    open_top_fan(page, top["display_name"])
    assert not page.by_id("queue").is_displayed()  # one pane at a time
    assert page.by_id("composer").is_displayed()
    assert not page.overflows()
    page.screenshot("phone-2-conversation")

    demo.live.model.replies.append(says("heyy 😊 how's your week going?"))
    page.by_id("draft-button").click()
    page.element('[data-testid="composer-text"][data-done="true"]')
    page.by_id("send").click()
    page.text_of("composer-state", "Sent for the creator's approval.")
    page.element('[data-testid="message"][data-status="awaiting_approval"]')
    page.screenshot("phone-3-sent")

    page.by_id("show-dossier").click()
    page.element('[data-testid="profile"] dd')
    assert not page.by_id("thread").is_displayed()
    page.screenshot("phone-4-dossier")
    page.element("#hide-dossier").click()
    page.by_id("back-to-queue").click()
    page.element('[data-testid="queue"]')
    assert not page.overflows()


def test_the_api_documentation_renders_with_the_network_cut(
    demo: DemoApp, browser: WebDriver
) -> None:
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.setBlockedURLs", {"urls": ["https://*", "*.com/*", "*.net/*", "*.io/*"]}
    )
    try:
        browser.get(demo.live.url + "/docs")
        page = Page(browser, demo.live.url)
        title = page.element(".swagger-ui .info .title")
        assert "fanagent" in title.text.lower()
        page.element(".swagger-ui .opblock")  # the operations are listed
        browser.get(demo.live.url + "/redoc")
        page.element("redoc h1, [role=navigation], .menu-content")
        loaded = browser.execute_script(
            "return performance.getEntriesByType('resource')"
            ".map(e => [e.name, e.responseStatus, e.transferSize])"
        )
        # Only ReDoc's footer logo points elsewhere (its CDN); the page's policy refuses it, so
        # nothing comes back from outside.
        outside = [entry for entry in loaded if not str(entry[0]).startswith(demo.live.url)]
        assert all(status == 0 and size == 0 for _, status, size in outside), loaded
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


def test_alerts_the_dossier_the_vault_segments_and_the_voice_are_one_click_away(
    demo: DemoApp, page: Page
) -> None:
    page.signed_in(demo.owner_key)
    page.wait(lambda: page.by_id("alerts-count").text not in {"", "0"})
    page.by_id("tab-alerts").click()
    alert = page.element('[data-testid="alert"]')
    page.screenshot("desktop-8-alerts")
    opened = alert.find_element(By.CSS_SELECTOR, '[data-testid="alert-open"]')
    name = opened.text.removeprefix("Open ")
    opened.click()
    page.text_of("fan-title", name)  # the alert's fan, in the workspace

    # The dossier: a tag, a note, a memory corrected.
    page.by_id("tag-name").send_keys("likes:cosplay", Keys.ENTER)
    page.element('[data-testid="tag"][data-tag="likes:cosplay"]')
    page.by_id("note-body").send_keys("prefers evenings, never push PPV on Mondays")
    page.element('[data-testid="note-form"] button').click()
    page.text_of("notes", "never push PPV on Mondays")
    memory = page.element('[data-testid="memory"]')
    assert memory.find_element(By.CSS_SELECTOR, '[data-testid="memory-source"]').text
    memory.find_element(By.CSS_SELECTOR, '[data-testid="edit-memory"]').click()
    field = page.element('[data-testid="memory-input"]')
    field.clear()
    field.send_keys("Has a dog called Biscuit")
    page.element('[data-testid="save-memory"]').click()
    page.text_of("memories", "Has a dog called Biscuit")
    page.screenshot("desktop-9-dossier")

    # The vault: a price suggestion for this fan, offered with the reply (an owner's goes out).
    top = awaiting(demo, owners_creator(demo))[0]
    page.by_id("fan-search").send_keys(top["display_name"])
    page.element(f'[data-testid="fan-item"][data-id="{top["fan_id"]}"]').click()
    page.text_of("fan-title", top["display_name"])
    page.by_id("ppv-toggle").click()
    item = page.element('[data-testid="media-item"]')
    item.find_element(By.CSS_SELECTOR, '[data-testid="suggest-price"]').click()
    page.wait(lambda: "suggested $" in item.text)
    page.screenshot("desktop-10-ppv")
    page.by_id("composer-text").send_keys("made this with you in mind")
    item.find_element(By.CSS_SELECTOR, '[data-testid="offer"]').click()
    page.text_of("composer-state", "In the outbox")
    queued = page.element('[data-testid="message"][data-status="queued"]')
    assert "made this with you in mind" in queued.text and "PPV $" in queued.text

    # Segments: build one, count it dry, save it, open a member.
    page.by_id("tab-segments").click()
    page.element('[data-testid="rule"]')
    page.by_id("segment-name").send_keys("Spent 100+")
    Select(page.element('[data-testid="rule-field"]')).select_by_value("lifetime_spend")
    Select(page.element('[data-testid="rule-op"]')).select_by_value("gte")
    page.element('[data-testid="rule-value"]').send_keys("100")
    page.by_id("segment-preview").click()
    count = int(page.text_of("segment-count", "fans").split()[0])
    assert count > 0
    page.element('[data-testid="segment-save"]').click()
    page.text_of("segment-title", "Spent 100+")
    page.text_of("members-status", f"{count} fans now")
    page.screenshot("desktop-11-segment")
    member = page.element('[data-testid="member"]')
    member_name = member.text
    member.click()
    page.text_of("fan-title", member_name)

    # The voice and the policy.
    page.by_id("tab-settings").click()
    warmth = page.element('[data-testid="field-warmth"]')
    warmth.clear()
    warmth.send_keys("0.9")
    page.element('[data-testid="persona-form"] button[type="submit"]').click()
    page.text_of("persona-state", "Saved")
    assert page.all('[data-testid="policy-action"][data-action="send_message"]')
    page.screenshot("desktop-12-voice")


def test_the_owner_creates_a_win_back_rule_with_a_template_runs_it_and_pauses_it(
    demo: DemoApp, page: Page
) -> None:
    page.signed_in(demo.owner_key)
    page.by_id("tab-broadcasts").click()
    page.element('[data-testid="template-form"]')
    page.by_id("template-name").send_keys("Miss you")
    page.by_id("template-body").send_keys("hey {fan_name|babe}, i miss you!")
    page.by_id("template-save").click()
    page.text_of("template-status", 'Saved "Miss you".')
    page.by_id("tab-automations").click()
    page.element('[data-testid="rule-form"]')
    page.wait(lambda: "Miss you" in page.by_id("rule-template").text)
    Select(page.by_id("rule-template")).select_by_visible_text("Miss you")
    page.by_id("rule-name").send_keys("Win back")
    Select(page.by_id("rule-trigger")).select_by_value("expired")
    days = page.by_id("rule-param")
    days.clear()
    days.send_keys("30")
    discount = page.by_id("rule-discount")
    discount.clear()
    discount.send_keys("20")
    page.by_id("rule-text").send_keys("come back this week for 20% off")
    page.by_id("rule-save").click()
    page.text_of("rule-title", "Win back")
    page.text_of("rule-description", 'expired: 20% off → message "Miss you" · active')
    page.text_of("runs-status", "Not run yet.")

    page.by_id("rule-run").click()
    ran = page.text_of("runs-status", "Ran: succeeded")
    fired = int(ran.split(", ")[1].split()[0])
    run = page.element('[data-testid="run"]')
    assert f"api · succeeded · {fired} fan(s)" in run.text
    run.click()
    if fired:
        first = page.element('[data-testid="run-action"]')
        assert "discount · queued (waits:" in first.text
    page.screenshot("desktop-13-automation")

    page.by_id("rule-toggle").click()
    page.text_of("rule-description", "· paused")
    page.wait(lambda: page.by_id("rule-toggle").text == "Resume")
    assert not page.by_id("rule-run").is_enabled()
    item = page.element('[data-testid="rule-item"]')
    assert "paused" in item.find_element(By.CSS_SELECTOR, '[data-testid="rule-state"]').text


def test_the_owner_welcomes_fans_who_enter_a_segment(demo: DemoApp, page: Page) -> None:
    page.signed_in(demo.owner_key)
    page.by_id("tab-automations").click()
    page.element('[data-testid="rule-form"]')
    segment = "Churn risk, subscribed 90+ days"
    page.wait(lambda: segment in (page.by_id("rule-segment").get_attribute("textContent") or ""))
    assert not page.by_id("rule-segment").is_displayed()
    Select(page.by_id("rule-trigger")).select_by_value("segment_entered")
    assert page.by_id("rule-segment").is_displayed()
    assert not page.by_id("rule-param").is_displayed()
    Select(page.by_id("rule-segment")).select_by_visible_text(segment)
    page.by_id("rule-name").send_keys("Keep them close")
    page.by_id("rule-text").send_keys("thinking of you, anything you'd love to see?")
    page.by_id("rule-save").click()
    page.text_of("rule-title", "Keep them close")
    page.text_of("rule-description", f'segment entered "{segment}": message · active')
    page.by_id("rule-run").click()
    page.text_of("runs-status", "Ran: succeeded")


def test_the_owner_greets_fans_before_their_birthday(demo: DemoApp, page: Page) -> None:
    page.signed_in(demo.owner_key)
    page.by_id("tab-automations").click()
    page.element('[data-testid="rule-form"]')
    Select(page.by_id("rule-trigger")).select_by_value("key_date")
    page.text_of("rule-param-label", "days before the birthday")
    assert page.by_id("rule-param").get_attribute("value") == "1"  # the API's default, not 30
    page.by_id("rule-name").send_keys("Birthday treat")
    page.by_id("rule-text").send_keys("happy early birthday babe, something special is coming")
    page.by_id("rule-save").click()
    page.text_of("rule-title", "Birthday treat")
    page.text_of("rule-description", "key date: message · active")
