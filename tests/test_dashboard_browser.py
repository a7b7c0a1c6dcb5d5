"""The dashboard in a real browser (Debian's Chromium, headless): signing in through the sign-in
page's own script, a ministry viewer's overview on a phone and on a desktop (screenshots are
written for a person to look at), and a moderator refused another country's report by URL."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harmline.i18n import Catalogs
from tests.backends import on_postgres
from tests.browser_support import CHROMIUM, DESKTOP, PHONE, Page, browser
from tests.test_dashboard import MINISTRY_MY, MOD_TH, Site, signed, site  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                       reason="Chromium is not installed (apt-get install chromium); CI installs it"),
    # What the browser shows does not depend on the backend; tests/test_dashboard.py runs on both.
    pytest.mark.skipif(on_postgres(), reason="the SQLite leg drives the browser"),
]


def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HARMLINE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def sign_in(page: Page, at: Site, user_id: int) -> None:
    """What the Telegram widget does once the user agrees: call the page's callback with the
    signed fields (the widget itself loads from telegram.org, which a test never reaches)."""
    await page.open(f"{at.base}/login")
    await page.evaluate(f"signedIn({json.dumps(signed(user_id, at.clock))})")
    for _ in range(100):
        if await page.evaluate("location.pathname") == "/overview":
            break
        await page.settle()
    await page.settle()


async def test_a_ministry_viewer_signs_in_on_a_phone_and_sees_their_countrys_week_in_malay(
        site: Site, tmp_path: Path) -> None:  # noqa: F811
    folder = screenshots(tmp_path)
    _ = Catalogs().gettext("ms")
    async with browser() as page:
        await page.resize(*PHONE)
        await sign_in(page, site, MINISTRY_MY)
        await page.open(f"{site.base}/overview?lang=ms")
        text = await page.evaluate("document.body.innerText")
        assert _("Reports received this week") in text and "Malaysia" in text
        assert "pindahkan" not in text  # figures and indicators, never a citizen's words
        # Nothing wider than the phone: no sideways scrolling.
        widths = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        await page.screenshot(folder / "overview-phone-ms.png")
        await page.open(f"{site.base}/indicators?weeks=12&lang=ms")
        assert "+60123456789" in await page.evaluate("document.body.innerText")
        widths = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        await page.screenshot(folder / "indicators-phone-ms.png")
        await page.resize(*DESKTOP)
        await page.open(f"{site.base}/overview?lang=ms")
        await page.screenshot(folder / "overview-desktop-ms.png")
        await page.open(f"{site.base}/login")  # signed in already: the page still works
        await page.screenshot(folder / "login-desktop-ms.png")
    assert (folder / "overview-phone-ms.png").stat().st_size > 10_000


async def test_a_thai_moderator_is_refused_a_malaysian_report_in_the_browser(
        site: Site, tmp_path: Path) -> None:  # noqa: F811
    folder = screenshots(tmp_path)
    async with browser() as page:
        await page.resize(*PHONE)
        await sign_in(page, site, MOD_TH)
        await page.open(f"{site.base}/reports/{site.references['MY']}?lang=en")
        text = await page.evaluate("document.body.innerText")
        assert f"No report {site.references['MY']} among your countries." in text
        await page.screenshot(folder / "refused-phone-en.png")
        await page.open(f"{site.base}/reports/{site.references['TH']}?lang=th")
        assert "ให้โอนเงิน" in await page.evaluate("document.body.innerText")
        await page.resize(*DESKTOP)
        await page.screenshot(folder / "report-desktop-th.png")
