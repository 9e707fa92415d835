"""The edition in a real browser: Playwright driving Debian's Chromium.

Notes, variants, the reading/witness toggle, register links, search, keyboard use, a phone-sized
viewport, accessibility (axe-core) and the absence of any request leaving the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import CHROMIUM_ARGS, chromium_path, serve

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect  # waits: a tap's click follows its touch events asynchronously

if chromium_path() is None:  # .ci/run installs it; elsewhere: apt-get install chromium
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def site(html_build: Path) -> Iterator[str]:
    with serve(html_build) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(params=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    if request.param == "phone":
        context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    else:
        context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.viewport_kind = request.param
    yield page
    context.close()


def tap_on_first_line(page: object, locator: object) -> None:
    """Tap a phrase where a reader's finger would: on its first line. (Playwright taps the middle
    of the bounding box, which for a phrase broken across lines may fall between its words.)"""
    locator.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
    rect = locator.evaluate("e => e.getClientRects()[0].toJSON()")
    page.touchscreen.tap(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)


def test_opens_the_edition(page: object, site: str) -> None:
    page.goto(site)
    assert "The 1952 Bolivian Revolution" in page.title()
    page.locator(".bd-article a[href='article.html']").first.click()
    page.wait_for_url("**/article.html")
    assert page.locator("#p1").is_visible()


def test_variant_readings_on_hover_focus_and_tap(page: object, site: str) -> None:
    page.goto(site + "article.html#p35")
    lemma = page.locator("#ed-a2-militians .ce-lem")
    readings = page.locator("#ed-a2-militians .ce-rdgs")
    assert not readings.is_visible()
    if page.viewport_kind == "phone":
        tap_on_first_line(page, lemma)
    else:
        lemma.hover()
    expect(readings).to_be_visible()
    assert "milicianos" in readings.inner_text()
    page.mouse.move(0, 0)
    lemma.focus()
    assert readings.is_visible()


def test_every_readings_popover_fits_on_the_screen(page: object, site: str) -> None:
    """However near the edge its lemma sits, a variant's readings open within the viewport."""
    width = page.viewport_size["width"]
    for name in ("article", "theses"):
        page.goto(f"{site}{name}.html")
        for variant in page.locator(".ce-app").all():
            lemma = variant.locator("> .ce-lem")
            # to the middle of the screen: at an edge, the theme's sticky header or its
            # "back to top" button (which fades in after a scroll) may take the tap
            lemma.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
            if page.viewport_kind == "phone":
                tap_on_first_line(page, lemma)
            else:
                lemma.hover()
            readings = variant.locator("> .ce-rdgs")
            expect(readings).to_be_visible()
            box = readings.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (
                variant.get_attribute("id"),
                box,
            )
            page.evaluate("document.activeElement.blur()")  # close it before the next
            page.mouse.move(0, 0)
            expect(readings).to_be_hidden()  # or it could cover the next lemma


def test_notes_open_beside_or_in_place(page: object, site: str) -> None:
    page.goto(site + "article.html#p33")
    note = page.locator("#sagra-n2")
    call = page.locator("#sagra-nref2")
    if page.viewport_kind == "phone":
        assert not note.is_visible()
        call.tap()
        expect(note).to_be_visible()
        note.locator("> .ce-note-label").tap()  # and back to the call
        expect(page).to_have_url(re.compile("#sagra-nref2$"))
    else:
        assert note.is_visible()  # in the margin
        box, para = note.bounding_box(), page.locator("#p33").bounding_box()
        assert box["x"] > para["x"] + para["width"] - 5


def test_reading_and_witness_views(page: object, site: str) -> None:
    page.goto(site + "article.html#p16")
    sic = page.locator("#ed-hottschild .ce-sic")
    corr = page.locator("#ed-hottschild .ce-corr")
    assert corr.is_visible() and not sic.is_visible()
    toggle = page.locator("button.ce-view-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert sic.is_visible() and not corr.is_visible()
    assert toggle.get_attribute("aria-pressed") == "true"
    page.goto(site + "theses.html")  # remembered across pages
    assert page.locator(".ce-choice .ce-sic").first.is_visible()
    page.locator("button.ce-view-toggle").click()
    page.goto(site + "article.html#p16")
    assert corr.is_visible() and not sic.is_visible()


def test_register_link_and_back(page: object, site: str) -> None:
    page.goto(site + "article.html#p4")
    page.locator("#ed-lechin-4").click()
    page.wait_for_url("**/register.html#reg-lechin")
    assert page.locator("#reg-lechin").is_visible()
    page.go_back()
    page.wait_for_url("**/article.html#p4")


def test_search_finds_a_word_only_in_an_editorial_note(page: object, site: str) -> None:
    witness = (Path(__file__).parent.parent / "source_texts/witness").glob("*.txt")
    assert "Eastman" not in next(witness).read_text()
    page.goto(site + "search.html?q=Eastman")
    results = page.locator("#search-results li a")
    results.first.wait_for(timeout=15000)
    assert "article.html" in " ".join(a.get_attribute("href") for a in results.all())


def test_notes_by_keyboard_alone(browser: object, site: str) -> None:
    """At desktop width (a phone has no Tab key): Tab reaches the note calls, focus is visible,
    and Enter on a call goes to exactly its note."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site + "article.html")
    reached: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const a = document.activeElement; "
            "return a ? (a.className || '') + '|' + (a.id || '') : '' })()"
        )
        if "ce-noteref" in focused:
            reached.append(focused)
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", "focus must be visible"
        if len(reached) >= 3:
            break
    assert len(reached) >= 3, reached
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert re.fullmatch(r"#[\w-]+", target), target
    assert page.locator(target).count() == 1, f"{target} is not on the page"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    assert (
        page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
        == target[1:]
    )
    context.close()


def test_no_horizontal_scroll_on_a_phone(browser: object, site: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    for name in ("index", "article", "theses", "register", "apparatus", "chronology"):
        page.goto(f"{site}{name}.html")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, overflow)
    # nor inside the list of emendations: a table scrolled sideways hid the reasons
    page.goto(f"{site}apparatus.html")
    hidden = page.evaluate(
        "(() => { const t = document.querySelector('table.ce-emendations').parentElement;"
        " return t.scrollWidth - t.clientWidth; })()"
    )
    assert hidden <= 1, hidden
    context.close()


def test_no_request_leaves_the_site(browser: object, site: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for name in (
        "index",
        "article",
        "theses",
        "register",
        "apparatus",
        "chronology",
        "bibliography",
        "about",
        "search",
    ):
        page.goto(f"{site}{name}.html", wait_until="networkidle")
    context.close()
    outside = [u for u in requests if not (u.startswith(site) or u.startswith("data:"))]
    assert outside == []
    assert len(requests) > 9


@pytest.mark.parametrize(
    "name",
    ["index", "article", "theses", "register", "apparatus", "chronology", "bibliography", "about"],
)
def test_accessibility(browser: object, site: str, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site}{name}.html")
    results = Axe().run(page)
    context.close()
    violations = results.response["violations"]
    report = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert violations == [], report
