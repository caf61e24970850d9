"""WebDriver session on the real app (tauri-driver on port 4444, started by
scripts/e2e.sh inside Xvfb and a D-Bus session), and the authenticator app that
administrators and the DPO sign in with: pyotp, an implementation of RFC 6238 of its
own, never Cuspid's code."""

import os
import subprocess
import pathlib
import time

import pyotp
import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


TOTP_STEP = 30
# The last 30-second step whose code each account used. The core takes a step's code
# once per account (a second sign-in in the same step is refused as a replay and
# counted towards the lockout), so the next code waits for a step not used yet.
_last_step: dict[str, int] = {}


def fresh_code(secret: str, account: str) -> str:
    """The authenticator app's code for `account` (base32 `secret`) in a 30-second step
    it has not used yet: if the current step's code was used already, wait for the next
    step to begin. Each call counts the step as used (call it only for a code that is
    sent: a sign-in, the first code of an enrolment, a CLI run)."""
    now = time.time()
    step = int(now // TOTP_STEP)
    used = _last_step.get(account)
    if used is not None and step <= used:
        time.sleep((used + 1) * TOTP_STEP - now + 0.2)
        now = time.time()
        step = int(now // TOTP_STEP)
    _last_step[account] = step
    return pyotp.TOTP(secret).at(now)


def wrong_code(secret: str) -> str:
    """Six digits that are the code of no step near now (the core accepts one step either
    side), so a sign-in with them is surely refused."""
    near = {pyotp.TOTP(secret).at(time.time() + k * TOTP_STEP) for k in range(-2, 4)}
    return next(c for c in (f"{n:06d}" for n in range(135790, 10**6, 7919)) if c not in near)


class TauriOptions(ArgOptions):
    """Capabilities tauri-driver understands: which binary to start."""

    def __init__(self, application: str):
        super().__init__()
        self.set_capability("tauri:options", {"application": application})
        self.set_capability("browserName", "wry")

    def to_capabilities(self):
        return self._caps


class App:
    """The app window, with the few verbs the tests need."""

    def __init__(self, driver, out: pathlib.Path):
        self.driver = driver
        self.out = out
        self.wait = WebDriverWait(driver, 20)
        # The authenticator secret of each account enrolled in two-factor sign-in, as the
        # enrolment screen showed it; kept for the whole run (both test files).
        self.totp: dict[str, str] = {}

    def code(self, account: str) -> str:
        """A fresh code from `account`'s authenticator app (see `fresh_code`)."""
        return fresh_code(self.totp[account], account)

    def sign_in(self, user: str, password: str):
        """The login form: user name and password; for an account enrolled in two-factor
        sign-in the code field comes up, and a fresh code from its app is typed."""
        self.type("login-username", user)
        self.type("login-password", password)
        self.click("login-submit")
        if user in self.totp:
            self.visible("login-code")
            self.type("login-code", self.code(user))
            self.click("login-submit")

    def el(self, testid: str):
        return self.wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, f'[data-testid="{testid}"]')))

    def visible(self, testid: str, timeout: float = 20):
        try:
            return WebDriverWait(self.driver, timeout).until(
                ec.visibility_of_element_located((By.CSS_SELECTOR, f'[data-testid="{testid}"]'))
            )
        except TimeoutException:
            self.shot(f"failed-waiting-for-{testid}")
            raise

    def wait_until(self, predicate, timeout: float = 20):
        WebDriverWait(self.driver, timeout).until(lambda _d: predicate())

    def absent(self, testid: str, timeout: float = 20):
        WebDriverWait(self.driver, timeout).until(
            ec.invisibility_of_element_located((By.CSS_SELECTOR, f'[data-testid="{testid}"]'))
        )

    def type(self, testid: str, text: str):
        e = self.el(testid)
        # WebKitWebDriver does not scroll a field inside a scrolling dialog into view.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", e)
        e.clear()
        e.send_keys(text)
        return e

    def click(self, testid: str, timeout: float = 15):
        # A toast or a closing dialog can sit over a button for a moment: retry.
        deadline = time.monotonic() + timeout
        while True:
            try:
                e = self.el(testid)
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", e)
                e.click()
                return
            except (ElementClickInterceptedException, StaleElementReferenceException):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.25)

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def wait_text(self, needle: str, timeout: float = 20):
        WebDriverWait(self.driver, timeout).until(lambda d: needle in d.find_element(By.TAG_NAME, "body").text)

    def save_in_dialog(
        self, testid: str, path, *, folder: bool = False, shot: str | None = None, cancel: bool = False, timeout: float = 30
    ):
        """Press the save button `testid`, then answer the system's save (or, with `folder`,
        folder) dialog it opens with `path`, as a person would with the keyboard: the GTK
        dialog is a window of its own, outside WebDriver's reach, so it is found and typed
        into with xdotool. `shot` names a picture of the whole screen, dialog and typed path."""
        # Every window shown before: a closed dialog can stay mapped, black, for a while.
        before = set(_visible_windows("."))
        self.click(testid)
        deadline = time.monotonic() + timeout
        while True:
            dialogs = [w for w in _visible_windows(".") if w not in before]
            if dialogs:
                break
            if time.monotonic() > deadline:
                self.shot(f"failed-waiting-for-dialog-{testid}")
                raise TimeoutError(f"no save dialog opened by {testid}")
            time.sleep(0.2)
        dialog = dialogs[-1]
        time.sleep(0.8)  # the dialog's widgets drawn and ready for keys

        def xdotool(*args):
            subprocess.run(["xdotool", *args], check=True, timeout=15)

        xdotool("windowfocus", "--sync", dialog)
        if folder:
            xdotool("key", "--clearmodifiers", "ctrl+l")  # the location field
        xdotool("key", "--clearmodifiers", "ctrl+a")
        # Typed whole: GTK completes a folder's name inline, and Return takes what is typed.
        xdotool("type", "--delay", "8", str(path))
        time.sleep(0.6)
        if shot:
            subprocess.run(["import", "-window", "root", str(self.out / f"{shot}.png")], check=True, timeout=30)
        if cancel:
            # Once: a second Escape, were the dialog already gone, would reach the page.
            xdotool("key", "Escape")
            time.sleep(1.0)
            return
        xdotool("key", "Return")
        time.sleep(1.0)
        if shot:
            subprocess.run(["import", "-window", "root", str(self.out / f"{shot}-answered.png")], check=True, timeout=30)
        # What the page shows next (the saved path) tells whether the dialog answered.

    def shot(self, name: str):
        """Save what the window shows. Taken from the X display (xdotool + ImageMagick):
        WebKitWebDriver's own screenshot can wait for a repaint that an idle page never
        makes (seen at 1920x1080, blocking until the idle lock changed the page)."""
        time.sleep(0.3)  # let the last repaint land
        path = self.out / f"{name}.png"
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^Cuspid$"], capture_output=True, text=True
        )
        windows = found.stdout.split()
        if windows:
            subprocess.run(["import", "-window", windows[0], str(path)], check=True, timeout=30)
        else:
            self.driver.save_screenshot(str(path))


def _visible_windows(name: str) -> list[str]:
    """The X windows shown whose name matches `name` (xdotool's regular expression)."""
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True)
    return found.stdout.split()


@pytest.fixture(scope="session")
def app():
    binary = os.environ["CUSPID_APP_BIN"]
    out = pathlib.Path(os.environ.get("CUSPID_E2E_OUT", "e2e-screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    driver = webdriver.Remote(command_executor="http://127.0.0.1:4444", options=TauriOptions(binary))
    driver.set_page_load_timeout(30)
    try:
        yield App(driver, out)
    finally:
        driver.quit()
