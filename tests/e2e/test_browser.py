"""The web page in a real browser against the real app: the creator approves a queued PPV offer
from the inbox; a chatter streams a draft in the console; errors are shown as the API gave them."""

import json
from collections.abc import Iterator

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

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


def test_the_creator_approves_a_queued_ppv_offer_from_the_inbox(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    key = key_for(database, creator.id, "owner")
    action = queue_offer(live, database, creator, key, "something special for you")
    live.model.replies.append(says("enjoy it babe"))

    page.use_key(key)
    item = page.element(f'[data-testid="approval-item"][data-id="{action}"]')
    assert "send_ppv_offer" in item.text and "$15.00" in item.text
    item.click()

    page.text_of("approval-draft", "something special for you")
    assert page.by_id("approval-action").text == "send_ppv_offer"
    assert page.by_id("approval-status").text == "pending"
    assert json.loads(page.by_id("approval-args").text)["price"] == 15
    page.text_of("context-message", "got anything new?")
    assert "Max" in page.by_id("context-summary").text
    assert page.all('[data-testid="context-intents"] li')

    page.by_id("approve").click()
    page.text_of("approval-status", "executed")
    assert page.by_id("outcome-draft").text == "enjoy it babe"
    assert '"status": "queued"' in page.by_id("outcome-result").text
    assert not page.by_id("decision").is_displayed()
    page.wait(lambda: not page.all(f'[data-testid="approval-item"][data-id="{action}"]'))
    assert len(outbox(database, creator.id)) == 1


def test_the_console_streams_a_draft_token_by_token(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    live.model.replies.append(says("hey you, long time no see"))
    page.use_key(key_for(database, creator.id, "chatter"))
    page.text_of("approvals-error", "chatters cannot")  # the inbox is the creator's
    page.by_id("tab-console").click()

    fan = page.element(f'[data-testid="fan-item"][data-id="{creator.fan}"]')
    assert "Max" in fan.text
    fan.click()
    assert page.by_id("fan-id").get_attribute("value") == str(creator.fan)
    page.by_id("fan-message").send_keys("hello?")
    page.by_id("draft-submit").click()

    page.element('[data-testid="draft-text"][data-done="true"]')
    assert page.by_id("draft-text").text == "hey you, long time no see"
    assert int(page.by_id("draft-text").get_attribute("data-tokens") or 0) == 6
    steps = [s.get_attribute("data-step") for s in page.all('[data-testid="step"]')]
    assert steps[:5] == ["load_context", "recall", "classify", "suggest", "draft"]
    assert page.by_id("draft-details").is_displayed()
    assert page.by_id("draft-state").get_attribute("data-outcome") == "drafted"
    assert "nothing" in page.by_id("draft-pending").text


def test_errors_are_shown_and_a_rejected_offer_sends_nothing(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    page.use_key("fa_not_a_key")
    page.text_of("approvals-error", "unknown or revoked API key")
    assert "unauthenticated (HTTP 401)" in page.by_id("approvals-error").text

    key = key_for(database, creator.id, "owner")
    action = queue_offer(
        live, database, creator, key, "a <b>treat</b> for you", fan_text="got a <b>treat</b>?"
    )
    live.model.replies.append(says("no worries"))
    page.use_key(key)
    page.element(f'[data-testid="approval-item"][data-id="{action}"]').click()
    page.text_of("approval-reason", "got a <b>treat</b>?")  # the fan's text, shown as text
    # a draft with markup never reaches the card: the guard withholds it
    assert page.by_id("approval-draft").text == "(no draft text)"

    page.element("#edit-box summary").click()
    edit = page.by_id("edit-args")
    edit.clear()
    edit.send_keys('{"price": -1}')
    page.by_id("edit-submit").click()
    page.text_of("decision-error", "invalid_arguments (HTTP 422)")
    assert page.by_id("approval-status").text == "pending"

    page.element("#reject-box summary").click()
    page.by_id("reject-reason").send_keys("not today")
    page.by_id("reject-submit").click()
    page.text_of("approval-status", "rejected")
    assert page.by_id("outcome-draft").text == "no worries"
    assert "not today" in page.by_id("outcome-result").text
    assert outbox(database, creator.id) == []


def test_a_chatter_drafts_the_fans_latest_message_edits_it_and_sends_it_for_approval(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    live.model.replies.append(says("nothing much, you?"))
    page.use_key(key_for(database, creator.id, "chatter"))
    page.by_id("tab-console").click()
    page.element(f'[data-testid="fan-item"][data-id="{creator.fan}"]').click()
    page.by_id("draft-submit").click()  # no text: the fan's latest message is answered

    page.element('[data-testid="draft-text"][data-done="true"]')
    assert page.by_id("send-form").is_displayed()
    text = page.by_id("send-text")
    assert text.get_attribute("value") == "nothing much, you?"
    text.clear()
    text.send_keys("nothing much, just thinking of you")
    page.by_id("send-submit").click()
    page.text_of("send-state", "Sent for the creator's approval.")

    [approval] = live.get("/v1/approvals", key_for(database, creator.id, "owner"))
    assert approval["action"] == "send_message"
    assert approval["args"]["text"] == "nothing much, just thinking of you"
    assert approval["draft"] == "nothing much, you?"
    assert outbox(database, creator.id) == []


def test_an_unusable_draft_is_taken_back_and_a_suggestion_is_sent_instead(
    live: LiveApp, page: Page, database: DatabaseTarget, creator: Creator
) -> None:
    a_past_reply(database, creator, "miss you so much tonight", "miss you more Other 🥺")
    fan_writes(database, creator.id, creator.fan, "i miss you")
    live.model.replies.extend([says(ECHO), says(ECHO)])  # the draft, and one fresh attempt
    page.use_key(key_for(database, creator.id, "chatter"))
    page.by_id("tab-console").click()
    page.element(f'[data-testid="fan-item"][data-id="{creator.fan}"]').click()
    page.by_id("draft-submit").click()

    page.text_of("draft-state", "not usable")
    done = page.by_id("draft-text")
    assert done.text == ""  # the streamed echo was taken back, not shown as a draft
    assert done.get_attribute("data-replaced") == "2"
    assert "Not sendable" in page.by_id("draft-refusals").text
    [suggestion] = page.all('[data-testid="suggestion"]')
    assert suggestion.text.startswith("miss you more Max 🥺")
    suggestion.find_element("css selector", '[data-testid="use-suggestion"]').click()
    assert page.by_id("send-text").get_attribute("value") == "miss you more Max 🥺"
    page.by_id("send-submit").click()
    page.text_of("send-state", "Sent for the creator's approval.")

    [approval] = live.get("/v1/approvals", key_for(database, creator.id, "owner"))
    assert approval["args"]["text"] == "miss you more Max 🥺"
    assert approval["draft"] == "miss you more Max 🥺"  # the chatter's own draft, not the echo
