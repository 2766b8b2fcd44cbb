"""Browser tests: Chromium from the machine's packages (Debian's `chromium`), headless,
driven by Playwright against a live server. Skipped where Chromium is not installed;
.ci/run installs it. Screenshots of each step go to test-artifacts/."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# axe-core, from npm (package-lock.json; `make install` runs npm ci).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def browser(live_server):
    if CHROMIUM is None:
        pytest.skip("needs Chromium (apt-get install chromium); .ci/run installs it")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # reads stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def shot(request):
    """shot(page, "step"): a screenshot kept as a test artifact."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    count = iter(range(1, 100))

    def take(page, step: str) -> Path:
        path = folder / f"{next(count):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(live_server):
    """log_in(page, username): the login form filled and sent, the home page reached."""

    def fill(page, username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "correct horse battery")  # the tests' users' one
        page.click("button:has-text('Se connecter')")
        page.wait_for_url(f"{live_server.url}/")

    return fill


@pytest.fixture
def audit():
    """audit(page): axe-core's audit of the page as it is shown; fails naming each serious or
    critical violation (its rule, impact, the elements' selectors and the rule's help page).
    Skipped where node_modules/axe-core is missing (no npm: `make install` said so). The
    page's context needs bypass_csp=True: our Content-Security-Policy refuses inline scripts,
    and axe is added as one."""
    if not AXE.exists():
        pytest.skip("needs axe-core from npm (make install runs npm ci)")

    def run(page) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
        )
        blocking = [v for v in results if v["impact"] in ("serious", "critical")]
        if blocking:
            raise AssertionError(f"{page.url}:\n" + "\n".join(describe(v) for v in blocking))

    return run


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:6])
    more = len(violation["nodes"]) - 6
    return (
        f"  {violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
        f"{f' and {more} more' if more > 0 else ''} — {violation['helpUrl']}\n"
        f"    first: {violation['nodes'][0]['html'][:160]} {violation['nodes'][0]['any'][:1]}"
    )
