"""The web page in a real browser against the real app, on a small world of one fan: the creator
approves a queued PPV offer; a chatter streams a draft into the composer, edits and sends it;
an unusable draft is taken back and a suggestion sent instead; errors show as the API gave them."""

from collections.abc import Iterator

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.keys import Keys

from db.connect import DatabaseTarget
from tests.agent.fakes import calls, says
from tests.agent.rows import fan_writes, outbox
from tests.agent.test_draft_guard import ECHO, a_past_reply
from tests.api.keys import key_for
from tests.api.test_drafts_and_approvals import offer
from tests.e2e.conftest import LiveApp
from tests.e2e.page import Page
from tests.tools.world import Creator, build_creator


@pytest.fixture
def creator(database: DatabaseTarget) -> Creator:
    return build_creator(database)


@pytest.fixture
def page(live: LiveApp, browser: WebDriver) -> Iterator[Page]:
    page = Page(browser, live.url)
    page.width(1280, 1000)
    page.open()
    yield page
    assert page.console_errors() == []
    assert live.model.replies == [], "the test left scripted replies unused"


def queue_offer(
    live: LiveApp,
    database: DatabaseTarget,
    creator: Creator,
    key: str,
    draft: str,
    fan_text: str = "got anything new?",
) -> str:
    """A PPV offer waiting in the creator's queue, proposed by the agent through the API in
    reply to the fan's new message."""
    message_id = fan_writes(database, creator.id, creator.fan, fan_text)
    live.model.replies.append(calls(offer(creator), text=draft))
    body = live.post(f"/v1/fans/{creator.fan}/drafts", {"message_id": str(message_id)}, key)
    [action] = body["pending"]
    assert action["action"] == "send_ppv_offer"
    return str(action["id"])


def open_max(page: Page, creator: Creator) -> None:
    """Finds the world's fan Max by name and opens the conversation."""
    page.by_id("fan-search").send_keys("Max")
    page.element(f'[data-testid="fan-item"][data-id="{creator.fan}"]').click()
    page.text_of("fan-title", "Max")
    page.element('[data-testid="composer"]')


def test_the_creator_approves_a_queued_ppv_offer_in_plain_words(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    key = key_for(database, creator.id, "owner")
    action = queue_offer(live, database, creator, key, "something special for you")
    live.model.replies.append(says("enjoy it babe"))

    page.signed_in(key)
    page.text_of("approvals-count", "1")
    page.by_id("tab-approvals").click()
    item = page.element(f'[data-testid="approval-item"][data-id="{action}"]')
    assert "Max" in item.text and "$15" in item.text and "send_ppv_offer" not in item.text
    item.click()

    summary = page.text_of("approval-summary", "Max")
    assert "Shower video" in summary and "$15" in summary
    assert page.by_id("approval-fan").text == "Max"
    assert page.by_id("approval-status").text == "pending"
    page.text_of("context-message", "got anything new?")
    assert page.by_id("approval-draft").text == "just for you"
    price = page.by_id("field-price")
    assert float(price.get_attribute("value") or 0) == 15
    assert page.by_id("field-media_id").tag_name in {"input", "select"}

    page.by_id("approve").click()
    page.text_of("approval-status", "executed")
    page.text_of("outcome-state", "queued for delivery")
    assert page.by_id("outcome-draft").text == "enjoy it babe"
    assert not page.by_id("decision").is_displayed()
    assert len(outbox(database, creator.id)) == 1


def test_the_draft_streams_into_the_composer_token_by_token(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    live.model.replies.append(says("hey you, long time no see"))
    page.signed_in(key_for(database, creator.id, "chatter"))
    assert not page.by_id("tab-approvals").is_displayed()  # the creator's, not a chatter's
    open_max(page, creator)
    assert page.all('[data-testid="message"][data-direction="inbound"]')
    page.by_id("draft-button").click()

    done = page.element('[data-testid="composer-text"][data-done="true"]')
    assert done.get_attribute("value") == "hey you, long time no see"
    assert int(done.get_attribute("data-tokens") or 0) == 6
    steps = [s.get_attribute("data-step") for s in page.all('[data-testid="step"]')]
    assert steps[0] == "load_context" and steps[3:5] == ["suggest", "draft"]
    assert set(steps[1:3]) == {"recall", "classify"}  # side by side: either may finish first
    page.text_of("composer-state", "Drafted")
    assert page.by_id("regenerate").is_displayed()


def test_errors_are_shown_and_a_rejected_offer_sends_nothing(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    page.use_key("fa_not_a_key")
    page.text_of("session-error", "unknown or revoked API key")
    assert "unauthenticated (HTTP 401)" in page.by_id("session-error").text

    key = key_for(database, creator.id, "owner")
    action = queue_offer(
        live, database, creator, key, "a <b>treat</b> for you", fan_text="got a <b>treat</b>?"
    )
    live.model.replies.append(says("no worries"))
    page.signed_in(key)
    assert not page.by_id("session-error").is_displayed()
    page.by_id("tab-approvals").click()
    page.element(f'[data-testid="approval-item"][data-id="{action}"]').click()
    page.text_of("approval-reason", "got a <b>treat</b>?")  # the fan's text, shown as text

    price = page.by_id("field-price")
    price.clear()
    price.send_keys("-1")
    assert page.by_id("edited-hint").is_displayed()
    page.by_id("approve").click()  # the form's own check (the schema's minimum) stops it
    assert page.by_id("field-price").get_attribute("validationMessage")
    assert page.by_id("approval-status").text == "pending"

    page.by_id("reject-reason").send_keys("not today")
    page.by_id("reject-submit").click()
    page.text_of("approval-status", "rejected")
    assert page.by_id("outcome-draft").text == "no worries"
    assert outbox(database, creator.id) == []


def test_a_chatter_edits_the_draft_sends_it_and_sees_it_wait_in_the_thread(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    live.model.replies.append(says("nothing much, you?"))
    page.signed_in(key_for(database, creator.id, "chatter"))
    open_max(page, creator)
    page.by_id("draft-button").click()

    text = page.element('[data-testid="composer-text"][data-done="true"]')
    assert text.get_attribute("value") == "nothing much, you?"
    text.clear()
    text.send_keys("nothing much, just thinking of you")
    text.send_keys(Keys.CONTROL, Keys.ENTER)  # the keyboard's send
    page.text_of("composer-state", "Sent for the creator's approval.")
    assert page.by_id("composer-text").get_attribute("value") == ""

    waiting = page.element('[data-testid="message"][data-status="awaiting_approval"]')
    assert "nothing much, just thinking of you" in waiting.text
    assert "waiting for approval" in waiting.text
    [approval] = live.get("/v1/approvals", key_for(database, creator.id, "owner"))
    assert approval["action"] == "send_message"
    assert approval["args"]["text"] == "nothing much, just thinking of you"
    assert outbox(database, creator.id) == []


def test_an_unusable_draft_is_taken_back_and_a_suggestion_is_sent_instead(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    a_past_reply(database, creator, "miss you so much tonight", "miss you more Other 🥺")
    fan_writes(database, creator.id, creator.fan, "i miss you")
    live.model.replies.extend([says(ECHO), says(ECHO)])  # the draft, and one fresh attempt
    page.signed_in(key_for(database, creator.id, "chatter"))
    open_max(page, creator)
    page.by_id("draft-button").click()

    page.text_of("composer-state", "Nothing the model wrote could be sent")
    done = page.by_id("composer-text")
    assert done.get_attribute("value") == ""  # the streamed echo was taken back
    assert done.get_attribute("data-replaced") == "2"
    assert "Not sendable" in page.by_id("draft-refusals").text
    [suggestion] = page.all('[data-testid="suggestion"]')
    assert "miss you more Max 🥺" in suggestion.text
    suggestion.click()
    assert page.by_id("composer-text").get_attribute("value") == "miss you more Max 🥺"
    page.by_id("send").click()
    page.text_of("composer-state", "Sent for the creator's approval.")

    [approval] = live.get("/v1/approvals", key_for(database, creator.id, "owner"))
    assert approval["args"]["text"] == "miss you more Max 🥺"
    assert approval["draft"] == "miss you more Max 🥺"  # the chatter's own draft, not the echo


def test_a_price_question_comes_with_the_ppv_to_offer_one_click_away(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    fan_writes(database, creator.id, creator.fan, "how much is the shower video?")
    live.model.replies.append(says("you're going to love it babe 😘"))
    page.signed_in(key_for(database, creator.id, "chatter"))
    open_max(page, creator)
    page.by_id("draft-button").click()

    page.element('[data-testid="composer-text"][data-done="true"]')
    assert page.by_id("offer-title").text == "Shower video"
    price = page.by_id("offer-price").text
    assert price.startswith("$")
    page.by_id("offer-send").click()
    page.text_of("composer-state", "Sent for the creator's approval.")
    waiting = page.element('[data-testid="message"][data-status="awaiting_approval"]')
    assert "you're going to love it babe" in waiting.text and f"PPV {price}" in waiting.text

    [approval] = live.get("/v1/approvals", key_for(database, creator.id, "owner"))
    assert approval["action"] == "send_ppv_offer"
    assert approval["summary"] == f"Send the PPV 'Shower video' to Max for {price}".replace(
        ".00", ""
    )
    assert outbox(database, creator.id) == []
