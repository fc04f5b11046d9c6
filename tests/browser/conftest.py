"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Every test in this folder is marked ``browser``. Without /usr/bin/chromium the tests are skipped
with the reason, unless C2HUB_REQUIRE_BROWSER=1 (CI sets it), when they fail instead. A failing
test leaves a full-page screenshot in test-results/ (and, with C2HUB_TRACE=1, a Playwright trace).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from c2hub.accounts.models import Role, User
from tests.browser.support import DESKTOP, add_totp
from tests.factories import make_site, user_with_role

CHROMIUM = Path(os.environ.get("C2HUB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in tests/browser/ ``browser`` before `-m` selection reads the marks."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"_c2_report_{report.when}", report)
    return report


def _browser_required() -> bool:
    return os.environ.get("C2HUB_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: install Debian's chromium package "
            "(apt-get install chromium) to run the browser tests"
        )
        if _browser_required():
            pytest.fail(f"C2HUB_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # tests' own (synchronous) database calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _failure_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")[:150]


def _new_page(request: pytest.FixtureRequest, browser, live_server, **context_options):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-GB", **context_options
    )
    context.set_default_timeout(10_000)
    if os.environ.get("C2HUB_TRACE"):
        context.tracing.start(screenshots=True, snapshots=True, sources=True)
    page = context.new_page()
    page.c2_base_url = live_server.url  # type: ignore[attr-defined]
    page.c2_console_errors = []  # type: ignore[attr-defined]

    def console(msg) -> None:
        # A page answered 403 or 409 on purpose also logs "Failed to load resource": failed
        # stylesheets, scripts and images are caught by response() below instead.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            page.c2_console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    def response(resp) -> None:
        if (
            resp.status >= 400
            and resp.request.resource_type != "document"
            and not resp.url.endswith("/favicon.ico")  # Chromium's guess on pages without an icon
        ):
            page.c2_console_errors.append(f"{resp.status} for {resp.request.resource_type} {resp.url}")

    page.on("console", console)
    page.on("response", response)
    page.on("pageerror", lambda exc: page.c2_console_errors.append(f"JavaScript error: {exc}"))
    return context, page


def _finish(request: pytest.FixtureRequest, context, page) -> None:
    failed = any(
        getattr(getattr(request.node, f"_c2_report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    out = Path(request.config.rootpath) / "test-results"
    name = _failure_name(request.node.nodeid)
    if failed:
        out.mkdir(exist_ok=True)
        path = out / f"{name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            print(f"\nScreenshot of the failing page ({page.url}): {path}")
        except Exception as exc:  # the page may have crashed: the test's own error matters more
            print(f"\nNo screenshot: {exc}")
    if os.environ.get("C2HUB_TRACE"):
        if failed or os.environ["C2HUB_TRACE"] == "all":
            out.mkdir(exist_ok=True)
            context.tracing.stop(path=str(out / f"{name}.trace.zip"))
            print(f"\nPlaywright trace: {out / f'{name}.trace.zip'}")
        else:
            context.tracing.stop()
    context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser, live_server, transactional_db):
    """A fresh browser context (no cookies) with the site's Content Security Policy enforced.
    Any JavaScript error, CSP violation or failed load in the console fails the test."""
    context, page = _new_page(request, browser, live_server)
    yield page
    errors = list(page.c2_console_errors)
    _finish(request, context, page)
    if errors:
        pytest.fail("The browser reported errors (JavaScript, CSP or failed loads):\n" + "\n".join(errors))


@pytest.fixture
def axe_page(request: pytest.FixtureRequest, browser, live_server, transactional_db):
    """Like ``page`` but with the CSP bypassed so that axe-core can be injected."""
    context, page = _new_page(request, browser, live_server, bypass_csp=True)
    yield page
    _finish(request, context, page)


# Data ----------------------------------------------------------------------------------------
@pytest.fixture
def site(transactional_db):
    return make_site()


@pytest.fixture
def facilitator(site) -> User:
    user = user_with_role(Role.FACILITATOR, site, email="facilitator@example.org")
    user.full_name = "Fran Facilitator"
    user.save()
    user.totp_secret = add_totp(user)  # type: ignore[attr-defined]
    return user


@pytest.fixture
def programme_admin(site) -> User:
    user = user_with_role(Role.PROGRAMME_ADMIN, site, email="admin@example.org")
    user.full_name = "Ada Admin"
    user.save()
    add_totp(user)
    return user


@pytest.fixture
def member(site) -> User:
    user = user_with_role(Role.PARTNERSHIP_MEMBER, site, email="member@example.org")
    user.full_name = "Mo Member"
    user.save()
    return user
