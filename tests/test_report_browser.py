"""The HTML report as a reader sees it: opened in a real headless Chromium (Debian's ``chromium``
and ``chromium-driver``, driven by selenium), at desktop, phone and print widths.

Each page is checked for console errors, blocked resources (CSP violations, caught by a listener
installed before the page loads) or any resource loaded at all, horizontal overflow, and every
chart drawn: its box inside the page and its pixels in the screenshot holding the palette's
colours. A control page that breaks each rule proves the checks can fail. Screenshots are kept
in the test's temporary folder (or ``RELECTURE_SCREENSHOTS``) to look at.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.exporters.samples import CHART_IDS, review

from conftest import DEEP, shared_data
from relecture.exporters import export_document

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),  # one headless Chromium for the module, on one worker
    pytest.mark.skipif(
        CHROMIUM is None or not Path(CHROMEDRIVER).exists(),
        reason="needs Debian's chromium and chromium-driver (.ci/run installs them: apt-get install chromium chromium-driver)",
    ),
]
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")
VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
# Every page records what its CSP refused, before any of it is parsed.
LISTEN = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)
PAGE_FACTS = """
const vw = document.documentElement.clientWidth;
const charts = {};
for (const fig of document.querySelectorAll('figure.chart')) {
  const svg = fig.querySelector('svg');
  const r = svg.getBoundingClientRect();
  charts[fig.id] = {left: r.left, right: r.right, width: r.width, height: r.height,
                    top: r.top + window.scrollY, texts: svg.querySelectorAll('text').length,
                    title: svg.querySelector('title') ? svg.querySelector('title').textContent : ''};
}
return {viewport: vw, scrollWidth: document.documentElement.scrollWidth,
        violations: window.__violations || null, charts: charts,
        resources: performance.getEntriesByType('resource').map(e => e.name)};
"""
# What each chart must show on screen, at least: colours of its own palette (Okabe-Ito).
CHART_COLOURS = {
    "chart-categories": ["#D55E00", "#E69F00", "#56B4E9"],
    "chart-strip": ["#009E73", "#CC79A7", "#0072B2"],
    "chart-distribution": ["#0072B2"],
    "chart-systems": ["#0072B2"],
    "chart-systems-esa": ["#0072B2"],
    "chart-raters": ["#0072B2"],
}


@dataclass
class Seen:
    facts: dict[str, Any]
    console: list[dict[str, Any]]
    screenshot: Path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium never looks for a driver online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    try:
        yield driver
    finally:
        driver.quit()


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RELECTURE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def look(driver: Any, page: Path, views: list[tuple[int, int, bool, Path]], media: str = "screen",
         clip_to: str = "h2 + section.seg") -> list[Seen]:
    """Open ``page`` once and, at each viewport (width, height, mobile, screenshot file), return
    what a reader gets: facts, console, and a screenshot down to ``clip_to`` (the part with the
    charts: the segments below can be long)."""
    import base64

    width, height, mobile, _ = views[0]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    driver.get_log("browser")  # drop what an earlier page logged
    driver.get(page.as_uri())
    console = driver.get_log("browser")
    out = []
    for width, height, mobile, shot in views:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        facts = driver.execute_script(PAGE_FACTS)
        bottom = driver.execute_script(
            f"const e = document.querySelector({clip_to!r});"
            " return e ? e.getBoundingClientRect().top + window.scrollY : document.documentElement.scrollHeight")
        # A viewport as tall as the part to show: capturing beyond the viewport takes a minute
        # on a long report.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": min(int(bottom) + 1, 16_000), "deviceScaleFactor": 1,
                                "mobile": mobile})
        png = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        shot.write_bytes(base64.b64decode(png["data"]))
        out.append(Seen(facts, console + driver.get_log("browser"), shot))
    return out


def problems(seen: Seen, charts: tuple[str, ...], colours: dict[str, list[str]] = CHART_COLOURS) -> list[str]:
    """Everything a reader would notice is wrong, in words (empty: the page is fine)."""
    from PIL import Image

    facts = seen.facts
    out = [f"console {e['level']}: {e['message']}" for e in seen.console if e["level"] in ("SEVERE", "WARNING")]
    if facts["violations"] is None:
        out.append("the CSP listener did not run")
    else:
        out += [f"blocked by CSP: {v}" for v in facts["violations"]]
    out += [f"loaded a resource: {r}" for r in facts["resources"]]
    if facts["scrollWidth"] > facts["viewport"]:
        out.append(f"horizontal overflow: {facts['scrollWidth']}px in a {facts['viewport']}px viewport")
    image = Image.open(io.BytesIO(seen.screenshot.read_bytes())).convert("RGB")
    for key in charts:
        box = facts["charts"].get(key)
        if box is None:
            out.append(f"{key}: missing")
            continue
        if box["width"] < 200 or box["height"] < 80 or box["left"] < 0 or box["right"] > facts["viewport"]:
            out.append(f"{key}: drawn at {box}, not inside a {facts['viewport']}px page")
        if box["texts"] == 0 or not box["title"]:
            out.append(f"{key}: no text or no title")
        region = image.crop((int(box["left"]), int(box["top"]), int(box["right"]), int(box["top"] + box["height"])))
        on_screen = {c for _, c in region.getcolors(maxcolors=1 << 20) or []}
        for hex_colour in colours.get(key, []):
            rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
            if rgb not in on_screen:
                out.append(f"{key}: colour {hex_colour} not on screen")
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_document(review(), "html", tmp_path_factory.mktemp("report") / "report.html")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_report_reads_well_on_desktop_and_phone(browser: Any, report: Path, tmp_path: Path, viewport: str) -> None:
    width, height, mobile = VIEWPORTS[viewport]
    (seen,) = look(browser, report, [(width, height, mobile, shots_dir(tmp_path) / f"report-{viewport}.png")])
    assert problems(seen, CHART_IDS) == []
    assert width - 20 <= seen.facts["viewport"] <= width  # less a scroll bar
    assert seen.screenshot.stat().st_size > 20_000  # a real picture (kept to look at)


def test_report_prints_with_every_chart_inside_the_page(browser: Any, report: Path, tmp_path: Path) -> None:
    """Print media at A4 width (794 CSS px): charts fit, none is cut at the right edge."""
    (seen,) = look(browser, report, [(794, 1123, False, shots_dir(tmp_path) / "report-print.png")], media="print")
    assert problems(seen, CHART_IDS) == []
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    assert len(pdf["data"]) > 10_000


def test_a_real_wmt_review_reads_well(browser: Any, tmp_path: Path) -> None:
    """The WMT 2020 TED en-de MQM ratings: 14 systems, several raters, 7,406 segments."""
    from relecture.importers import import_document

    doc = import_document(shared_data("wmt-mqm", "mqm_ted_ende.tsv"), fmt="mqm")
    page = export_document(doc, "html", tmp_path / "ted.html")
    expected = ("chart-strip", "chart-distribution", "chart-systems", "chart-raters", "chart-categories")
    # The phone is the hard case (14 systems in 390 px); the small report covers the desktop.
    names = list(VIEWPORTS) if DEEP else ["phone"]
    views = [(*VIEWPORTS[name], shots_dir(tmp_path) / f"wmt-ted-{name}.png") for name in names]
    # Its ratings hold major and minor errors only, and no status or flag.
    colours = {**CHART_COLOURS, "chart-categories": ["#E69F00", "#56B4E9"], "chart-strip": ["#E69F00", "#0072B2"]}
    for name, seen in zip(names, look(browser, page, views), strict=True):
        assert problems(seen, expected, colours) == [], name


def test_the_checks_catch_a_page_that_breaks_them(browser: Any, report: Path, tmp_path: Path) -> None:
    """A control: the same report with a remote image, a too-wide block and a chart lost. Nothing
    is fetched (the CSP refuses the image before any request); the checks must say all of it."""
    html = report.read_text(encoding="utf-8")
    html = html.replace("<body>", '<body><img src="https://relecture.invalid/x.png" alt="">'
                        '<div style="width:3000px">wide</div>', 1)
    html = html.replace('id="chart-raters"', 'id="chart-gone"', 1)
    broken = tmp_path / "broken.html"
    broken.write_text(html, encoding="utf-8")
    (seen,) = look(browser, broken, [(390, 844, True, tmp_path / "broken.png")])
    found = "\n".join(problems(seen, CHART_IDS))
    assert "blocked by CSP: img-src https://relecture.invalid/x.png" in found
    assert "horizontal overflow" in found
    assert "chart-raters: missing" in found
