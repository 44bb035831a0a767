"""The web page as a test drives it: elements by their data-testid, waits with a deadline."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

T = TypeVar("T")
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".artifacts" / "screenshots"
WAIT_S = 15


class Page:
    def __init__(self, driver: WebDriver, url: str) -> None:
        self.driver = driver
        self.url = url
        self.key: str | None = None  # the API key the page was last given

    def open(self) -> None:
        """The page, fresh: nothing saved in the browser from an earlier test."""
        self.driver.get(self.url + "/")
        self.driver.execute_script("localStorage.clear()")
        self.key = None
        self.driver.get(self.url + "/")
        self.wait(lambda: self.driver.find_element(By.CSS_SELECTOR, "body[data-ready=true]"))
        self.browser_log()  # start each test's console log empty

    def use_key(self, key: str) -> None:
        if not self.by_id("settings-form").is_displayed():
            self.by_id("key-toggle").click()
        field = self.by_id("api-key")
        field.clear()
        field.send_keys(key)
        self.by_id("save-settings").click()
        self.key = key

    def signed_in(self, key: str, creator: str | None = None) -> None:
        """Uses `key` and, when given, picks the `creator` in the switcher; waits for the
        session (GET /v1/me) to be shown: another key's session, still on the page while the
        new one loads, does not count."""
        shown = self.by_id("session").text if self.key not in (None, key) else None
        self.use_key(key)
        self.element('[data-testid="session"]')
        if shown is not None:
            self.wait(lambda: self.by_id("session").text != shown)
        if creator is not None:
            self.wait(lambda: self.all(f'[data-testid="creator-select"] option[value="{creator}"]'))
            Select(self.by_id("creator-select")).select_by_value(creator)

    def width(self, pixels: int, height: int = 900) -> None:
        self.driver.set_window_size(pixels, height)

    def screenshot(self, name: str) -> None:
        """A picture of the page for people to look at (not compared by any test)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    def overflows(self) -> bool:
        """Whether the page is wider than the window (a horizontal scrollbar)."""
        return bool(
            self.driver.execute_script(
                "return document.documentElement.scrollWidth > window.innerWidth + 1"
            )
        )

    def by_id(self, testid: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, until: Callable[[], T | None], message: str = "") -> T:
        """`until()`'s first truthy answer, retried (also over re-rendered elements)."""

        def attempt(_: WebDriver) -> T | Literal[False]:
            try:
                found = until()
            except StaleElementReferenceException:
                return False
            return found if found else False

        return WebDriverWait(self.driver, WAIT_S, poll_frequency=0.05).until(
            attempt, message or getattr(until, "__name__", "")
        )

    def element(self, css: str) -> WebElement:
        """The first element matching `css`, once it is displayed."""

        def shown() -> WebElement | None:
            found = self.all(css)
            return found[0] if found and found[0].is_displayed() else None

        return self.wait(shown, f"nothing displayed matches {css}")

    def text_of(self, testid: str, expected: str) -> str:
        """Waits until the element's text contains `expected`; returns the whole text."""

        def has() -> str | None:
            text = self.by_id(testid).text
            return text if expected in text else None

        try:
            return self.wait(has)
        except Exception as error:
            shown = self.by_id(testid).text
            raise AssertionError(f"{testid} shows {shown!r}, never {expected!r}") from error

    def console_errors(self) -> list[str]:
        """What the page logged as an error since the last call (CSP violations, exceptions),
        less the API's 4xx answers that a test provokes (the page shows those itself)."""
        entries = self.browser_log()
        return [
            str(e["message"])
            for e in entries
            if e.get("level") == "SEVERE" and "Failed to load resource" not in str(e["message"])
        ]

    def browser_log(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.driver.get_log("browser")  # type: ignore[no-untyped-call]
        return entries
