"""What a reader sees in a real browser: language switch, offline pages, fonts, copy buttons.

Runs headless Chromium against the strictly built site served on loopback.
Screenshots go to ``test-artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from code_blocks import DOCS, LANGUAGES, ROOT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
LANG_PREFIX = {"zh": "", "en": "en/"}
CJK_FONT_HINTS = ("CJK", "Han Sans", "Hei", "PingFang", "YaHei", "Noto Sans SC", "WenQuanYi")
# The header's palette toggle: the label after the current palette's radio button.
PALETTE_TOGGLE = "input[name=__palette] + label:not([hidden])"


def page_path(page: Path) -> str:
    """URL path (relative to the site root, no language prefix) of a docs page."""
    stem = page.with_suffix("")
    if stem.name == "index":
        stem = stem.parent
    return "" if str(stem) == "." else f"{stem.as_posix()}/"


PAGES = sorted(
    p.relative_to(DOCS / "zh") for p in (DOCS / "zh").rglob("*") if p.suffix in (".md", ".ipynb")
)


@pytest.fixture
def context(new_context):
    return new_context(viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])


PHONE = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1.75}
WIDE = {"viewport": {"width": 2000, "height": 1000}}


def record_foreign_requests(tab, site_url: str) -> list[str]:
    """The URLs the tab requests from any host but the site's own (fonts, CDNs, APIs)."""
    own_host = urlsplit(site_url).netloc
    foreign = []
    tab.on("request", lambda request: foreign.append(request.url)
           if urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).netloc != own_host
           else None)
    return foreign


@pytest.fixture(scope="module")
def visit_tabs(browser, site_url):
    """A phone tab and a wide-screen tab that visit page after page, as a reader's browser
    does, each with the list of foreign requests it has made. A new tab starts a renderer
    process: loading a page into it took 1.3-1.4 CPU-s against 0.5-0.55 in a tab kept
    open (measured), and the visits are most of the suite's work."""
    tabs = {}
    for name, options in (("phone", PHONE), ("wide", WIDE)):
        tab = browser.new_context(**options).new_page()
        tabs[name] = (tab, record_foreign_requests(tab, site_url))
    yield tabs
    for tab, _ in tabs.values():
        tab.context.close()


def search_problems(tab, where: str) -> list[str]:
    """Typing in the search box of a loaded page lists results: its worker and index load."""
    tab.click("input.md-search__input")
    tab.keyboard.type("etcd")
    try:
        tab.wait_for_selector(".md-search-result__item")
    except PlaywrightTimeout:
        return [f"{where}: search: no result for 'etcd'"]
    finally:
        tab.keyboard.press("Escape")  # closes the search, uncovering the header
    return []


def switch_problems(tab, where: str, to_lang: str, expected_url: str, wait_until: str) -> list[str]:
    """The header's language switch lands on the same page in the other language."""
    tab.hover(".md-header__option .md-select")
    with tab.expect_navigation(wait_until=wait_until):
        tab.click(f'.md-select__link[hreflang="{to_lang}"]')
    return [] if tab.url == expected_url else [f"{where}: language switch: landed on {tab.url}, not {expected_url}"]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_in_the_browser(visit_tabs, site_url, page):
    """Both language versions of a page, each on a phone and on a wide screen, for every check
    that concerns the page; each problem is reported with the version and the check:

    - offline: no request to any other host (fonts, CDNs, APIs), search included;
    - language switch: from either version, it lands on the same page in the other language;
    - search: typing a query shows results;
    - reserved code heights: see ``reserved_height_problems``.

    The wide screen loads the Chinese version, switches to the English one and back: each
    of the 4 full loads serves a check, and the visits are most of the suite's work."""
    url = {lang: site_url + LANG_PREFIX[lang] + page_path(page) for lang in LANGUAGES}
    where = {lang: f"docs/{lang}/{page}" for lang in LANGUAGES}
    (phone, phone_foreign), (tab, wide_foreign) = visit_tabs["phone"], visit_tabs["wide"]
    phone_foreign.clear(), wide_foreign.clear()
    problems = []

    for lang in LANGUAGES:
        phone.goto(url[lang], wait_until="load")
        problems += reserved_height_problems(phone, where[lang], PHONE["viewport"])

    tab.goto(url["zh"], wait_until="load")
    problems += reserved_height_problems(tab, where["zh"], WIDE["viewport"])
    problems += search_problems(tab, where["zh"])
    problems += switch_problems(tab, where["zh"], "en", url["en"], wait_until="load")
    problems += reserved_height_problems(tab, where["en"], WIDE["viewport"])
    problems += search_problems(tab, where["en"])
    # Back to Chinese: where it lands is all that is left to check.
    problems += switch_problems(tab, where["en"], "zh", url["zh"], wait_until="load")
    foreign = phone_foreign + wide_foreign
    if foreign:
        problems.append(f"docs/*/{page}: offline: requests to other hosts: {sorted(set(foreign))}")
    assert not problems, "\n".join(problems)


def platform_fonts(tab, selector: str) -> list[dict]:
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


SCREENSHOT_PAGES = [("home", ""), ("etcd-raft", "etcd/raft/")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name, path", SCREENSHOT_PAGES, ids=[n for n, _ in SCREENSHOT_PAGES])
def test_screenshots_render_real_glyphs(new_context, site_url, name, path, lang, scheme):
    context = new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(site_url + LANG_PREFIX[lang] + path, wait_until="networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}-{lang}-{scheme}.png"), full_page=False)
    expected_scheme = "slate" if scheme == "dark" else "default"
    assert tab.get_attribute("body", "data-md-color-scheme") == expected_scheme
    # The page scrollbar takes its colours from <html>, not from <body> where Material sets the scheme.
    root_scheme = tab.evaluate("getComputedStyle(document.documentElement).colorScheme")
    assert ("dark" in root_scheme) == (scheme == "dark"), f"<html> color-scheme is {root_scheme!r}"
    fonts = platform_fonts(tab, "article p")
    assert fonts and all(f["glyphCount"] > 0 for f in fonts), fonts
    if lang == "zh":
        assert any(hint in f["familyName"] for f in fonts for hint in CJK_FONT_HINTS), (
            f"Chinese heading not rendered with a CJK font: {fonts}"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_button_copies_the_command_only(context, site_url, lang):
    tab = context.new_page()
    tab.goto(site_url + LANG_PREFIX[lang] + "etcd/use-cases/", wait_until="networkidle")
    block = tab.locator("div.highlight", has=tab.locator('span.filename:text-is("put-get.sh")'))
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    snippet = (ROOT / "snippets" / "etcd" / "use-cases" / "put-get.sh").read_text(encoding="utf-8")
    assert copied.strip() == snippet.strip()
    assert "$ " not in copied and "OK" not in copied.split()  # no prompts, no output


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reading_features(context, site_url, lang):
    tab = context.new_page()
    tab.goto(site_url + LANG_PREFIX[lang] + "etcd/use-cases/", wait_until="networkidle")
    edit = tab.get_attribute("a.md-content__button", "href")
    assert edit.endswith(f"/edit/main/docs/{lang}/etcd/use-cases.md"), edit
    assert tab.locator(".git-revision-date-localized-plugin").count() >= 1, "no last-updated date"
    assert tab.locator(".tabbed-set").count() >= 1, "no Shell | Python tabs"
    assert tab.locator(PALETTE_TOGGLE).count() == 1, "no palette toggle"
    tab.goto(site_url + LANG_PREFIX[lang] + "etcd/install/", wait_until="networkidle")
    assert tab.locator(".admonition.warning").count() >= 1, "no warning admonition on the install page"


PALETTE_STATE = """() => ({
  scheme: document.body.dataset.mdColorScheme,
  rootScheme: getComputedStyle(document.documentElement).colorScheme,
  background: getComputedStyle(document.body).backgroundColor,
  themeColors: [...document.querySelectorAll("meta[name=theme-color]")].map(meta => meta.content),
  headerColor: getComputedStyle(document.querySelector(".md-header")).backgroundColor,
})"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_palette_toggle_switches_scheme_and_back(context, site_url, lang):
    """The header toggle switches light and dark (by click, and by Enter as Material's did),
    a reload keeps the reader's choice, and the browser's theme colour follows the header."""
    tab = context.new_page()
    tab.goto(site_url + LANG_PREFIX[lang] + "etcd/raft/", wait_until="networkidle")
    light = tab.evaluate(PALETTE_STATE)
    assert light["scheme"] == "default", light
    assert light["themeColors"] == [light["headerColor"]], light
    tab.locator(PALETTE_TOGGLE).click()
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    # Colours ease over Material's transitions; wait for the background to leave the light one.
    tab.wait_for_function("light => getComputedStyle(document.body).backgroundColor !== light", arg=light["background"])
    dark = tab.evaluate(PALETTE_STATE)
    assert "dark" in dark["rootScheme"] and dark["background"] != light["background"], dark
    assert dark["themeColors"] == [dark["headerColor"]], dark
    tab.reload(wait_until="networkidle")
    assert tab.evaluate(PALETTE_STATE)["scheme"] == "slate"
    tab.focus("input[name=__palette]:checked")
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    assert tab.evaluate("document.activeElement.matches('input[name=__palette]:checked')")


MATERIAL_BUNDLE = "**/assets/javascripts/bundle.*.min.js"  # blocked to see the page before Material's script runs


PALETTE_SHOWN = """toggleSelector => {
  const toggle = document.querySelector(toggleSelector)
  const input = toggle?.previousElementSibling
  return { scheme: document.body.dataset.mdColorScheme, toggleFor: input?.checked ? input.dataset.mdColorScheme : null }
}"""


@pytest.mark.parametrize("scheme, expected", [("dark", "slate"), ("light", "default")])
def test_first_visit_shows_the_system_palette_before_the_bundle_runs(new_context, site_url, scheme, expected):
    """On a first visit the page matches the reader's system scheme from its first frame,
    with the toggle that leaves it (overrides/main.html), not only once Material's
    deferred bundle has run."""
    context = new_context(color_scheme=scheme)
    tab = context.new_page()
    tab.route(MATERIAL_BUNDLE, lambda route: route.abort())
    tab.goto(site_url + "etcd/raft/", wait_until="load")
    assert tab.evaluate("typeof document$") == "undefined", "Material's bundle ran"
    assert tab.evaluate(PALETTE_SHOWN, PALETTE_TOGGLE) == {"scheme": expected, "toggleFor": expected}


def test_a_chosen_palette_and_its_toggle_show_on_the_next_page_without_the_bundle(new_context, site_url):
    """A reader who switched to dark on a light system sees dark, and the toggle back to
    light, on the next page. The toggle is the header script's (overrides/main.html):
    none of this waits for, or needs, Material's bundle."""
    context = new_context(color_scheme="light")
    tab = context.new_page()
    tab.route(MATERIAL_BUNDLE, lambda route: route.abort())
    tab.goto(site_url + "etcd/raft/", wait_until="load")
    tab.locator(PALETTE_TOGGLE).click()
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    tab.goto(site_url + "etcd/watch/", wait_until="load")
    assert tab.evaluate("typeof document$") == "undefined", "Material's bundle ran"
    assert tab.evaluate(PALETTE_SHOWN, PALETTE_TOGGLE) == {"scheme": "slate", "toggleFor": "slate"}


def test_palette_follows_the_system_until_the_reader_chooses(new_context, site_url):
    """While the reader has chosen no palette, the page follows the system's scheme as it
    changes; once they have, a change of system scheme leaves their choice alone."""
    context = new_context(color_scheme="light")
    tab = context.new_page()
    tab.goto(site_url + "etcd/raft/", wait_until="load")
    tab.emulate_media(color_scheme="dark")
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert tab.evaluate(PALETTE_SHOWN, PALETTE_TOGGLE) == {"scheme": "slate", "toggleFor": "slate"}
    tab.locator(PALETTE_TOGGLE).click()  # the reader chooses light on a dark system
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    tab.emulate_media(color_scheme="light")
    tab.emulate_media(color_scheme="dark")
    tab.wait_for_timeout(200)
    assert tab.evaluate(PALETTE_SHOWN, PALETTE_TOGGLE) == {"scheme": "default", "toggleFor": "default"}


# Every change to the page's colour palette or scheme while it loads, with the document's
# readyState at the time: "loading" while the header script runs, later for deferred scripts.
RECORD_PALETTE_CHANGES = """
window.paletteChanges = []
new MutationObserver(records => {
  for (const record of records) {
    const added = [...record.addedNodes].filter(node => node.matches?.("meta[name=color-scheme]"))
    if (record.type === "attributes" && record.target === document.body)
      window.paletteChanges.push(`${document.readyState}: body ${record.attributeName}`)
    if (added.length) window.paletteChanges.push(`${document.readyState}: <meta name="color-scheme"> added`)
  }
}).observe(document, { subtree: true, childList: true, attributes: true,
                       attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"] })
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_material_start_up_leaves_the_palette_alone(new_context, site_url, scheme):
    """Material's palette component would add a <meta name="color-scheme"> and set it, each a
    whole-page restyle (overrides/main.html says why); it is not mounted, so once the header
    script has shown the palette, nothing changes it while the page starts up."""
    context = new_context(color_scheme=scheme)
    tab = context.new_page()
    tab.add_init_script(RECORD_PALETTE_CHANGES)
    tab.goto(site_url + "etcd/raft/", wait_until="load")
    tab.wait_for_function("typeof document$ === 'object'")
    tab.wait_for_timeout(200)
    changes = tab.evaluate("window.paletteChanges")
    assert tab.evaluate("document.body.dataset.mdColorScheme") == {"light": "default", "dark": "slate"}[scheme]
    late = [change for change in changes if not change.startswith("loading:")]
    assert not late, f"the palette changes after the header script has run: {late}"
    assert all("meta" not in change for change in changes), changes


# Colours ease over Material's transitions when the palette or a stylesheet changes:
# computed styles are read once the scheme is in place and no transition is running.
STYLES_SETTLED = """scheme => {
  document.body.offsetWidth  // starts any transition a pending style change causes
  return document.body.dataset.mdColorScheme === scheme && document.getAnimations().length === 0
}"""


# A snapshot of every notebook element's computed style is megabytes: it stays in the page
# (window[name]), and only the differences between two snapshots come back to Python.
COMPUTED_STYLES = """name => {
  // Standard properties only: custom properties nothing reads are what pruning removes.
  // Every element's computed style lists the same standard properties: reading that list
  // once, rather than each element's with its hundreds of custom properties, is what keeps
  // a snapshot to seconds.
  const properties = [...getComputedStyle(document.body)].filter(name => !name.startsWith("--"))
  const styles = window[name] = { properties, elements: new Map() }
  document.querySelectorAll(".jupyter-wrapper, .jupyter-wrapper *").forEach((element, index) => {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(element, pseudo)
      if (pseudo && style.content === "none") continue
      const classes = [...element.classList].join(".")
      styles.elements.set(`#${index} ${element.tagName.toLowerCase()}.${classes}${pseudo || ""}`,
                          properties.map(property => style.getPropertyValue(property)))
    }
  })
  return styles.elements.size
}"""
STYLE_CHANGES = """([before, after]) => {
  const [old, now] = [window[before], window[after]]
  const changed = []
  for (const [element, values] of now.elements) {
    const shipped = old.elements.get(element)
    now.properties.forEach((property, index) => {
      if (shipped?.[index] !== values[index])
        changed.push(`${element} ${property}: ${JSON.stringify(shipped?.[index])} shipped, `
                     + `${JSON.stringify(values[index])} with the full CSS`)
    })
  }
  return { sameElements: [...old.elements.keys()].join() === [...now.elements.keys()].join(), changed }
}"""


@functools.lru_cache(maxsize=2)
def full_notebook_css(lang: str) -> str:
    """Every stylesheet mkdocs-jupyter writes into the notebook page (before the hook prunes it)."""
    import re

    from mkdocs_jupyter.nbconvert2 import nb2html

    notebook = DOCS / lang / "etcd" / "python-client.ipynb"
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", nb2html(str(notebook), theme=""), re.S))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_keeps_every_style_that_applies(new_context, site_url, lang):
    """hooks/notebook_styles.py ships only the JupyterLab rules a notebook page can use:
    putting the full stylesheet back changes the computed style of no notebook element,
    in the light scheme or the dark one."""
    full_css = full_notebook_css(lang)
    problems = []
    for scheme, expected_scheme in (("light", "default"), ("dark", "slate")):
        tab = new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
        tab.goto(site_url + LANG_PREFIX[lang] + "etcd/python-client/", wait_until="load")
        tab.evaluate("document.fonts.ready.then(() => true)")  # text metrics settle the layout
        shipped = tab.evaluate("() => document.querySelector('style[data-notebook-styles]').textContent.length")
        assert shipped < len(full_css) / 10, f"{shipped} of {len(full_css)} characters of notebook CSS shipped"
        tab.wait_for_function(STYLES_SETTLED, arg=expected_scheme)
        elements = tab.evaluate(COMPUTED_STYLES, "shipped")
        tab.evaluate("css => { document.querySelector('style[data-notebook-styles]').textContent = css }", full_css)
        tab.wait_for_function(STYLES_SETTLED, arg=expected_scheme)
        tab.evaluate(COMPUTED_STYLES, "full")
        changes = tab.evaluate(STYLE_CHANGES, ["shipped", "full"])
        tab.context.close()
        if elements <= 100:
            problems.append(f"{scheme}: only {elements} notebook elements found: is the page a rendered notebook?")
        if not changes["sameElements"]:
            problems.append(f"{scheme}: the full CSS changes which notebook elements (or pseudo-elements) exist")
        if changes["changed"]:
            problems.append(f"{scheme}: {len(changes['changed'])} computed values differ:\n"
                            + "\n".join(changes["changed"][:10]))
    assert not problems, f"docs/{lang}/etcd/python-client.ipynb:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_code_annotations_mount_on_view_with_names(context, site_url, lang):
    """Code blocks are mounted when they scroll into view (content.lazy); their annotation
    markers then carry an accessible name (javascripts/annotation-labels.js) and open their note."""
    tab = context.new_page()
    tab.goto(site_url + LANG_PREFIX[lang] + "core-objects/pods/", wait_until="networkidle")
    last_block = tab.locator("div.highlight").last
    assert last_block.locator("button[data-md-type=copy]").count() == 0, "blocks off screen are mounted at load"
    block = tab.locator("div.highlight", has=tab.locator('span.filename:text-is("pod-probes.yaml")'))
    block.scroll_into_view_if_needed()
    markers = block.locator(".md-annotation__index")
    markers.first.wait_for()
    label = "注释" if lang == "zh" else "Annotation"
    assert [marker.get_attribute("aria-label") for marker in markers.all()] == [
        f"{label} {number}" for number in range(1, markers.count() + 1)
    ]
    assert markers.count() == 3
    block.locator(".md-annotation").first.click()
    note = block.locator(".md-annotation .md-tooltip").first
    note.wait_for(state="visible")
    assert note.inner_text().strip(), "annotation note is empty"


RESERVED_VS_RENDERED = """() => {
  const blocks = [...document.querySelectorAll('pre[style*="--code-lines"]')].filter(pre => pre.checkVisibility())
  const before = blocks.map(pre => ({
    top: pre.getBoundingClientRect().top + scrollY,
    reserved: pre.getBoundingClientRect().height,
    skipped: !pre.querySelector("code").checkVisibility({contentVisibilityAuto: true}),
  }))
  blocks.forEach(pre => { pre.style.contentVisibility = "visible" })
  return blocks.map((pre, index) => ({
    ...before[index],
    rendered: pre.getBoundingClientRect().height,
    // A block wider than the page scrolls sideways; where the platform draws classic
    // scrollbars (desktop Windows and Linux) that bar adds its own thickness.
    scrollbar: (code => code.offsetHeight - code.clientHeight)(pre.querySelector("code")),
    name: pre.parentElement.querySelector(".filename")?.textContent || pre.textContent.split("\\n")[0],
  }))
}"""


def reserved_height_problems(tab, where: str, viewport: dict) -> list[str]:
    """Code blocks far from the viewport are skipped while the page loads
    (hooks/code_block_lines.py); the height held for each is the height it renders
    at, so nothing jumps when the reader scrolls to it, on a phone or a wide screen.
    A horizontal scrollbar is left out: whether it takes room depends on the platform,
    and it appears only once the block is drawn, close to the viewport.

    Call it on a freshly loaded page: it makes every block render."""
    problems = []
    for block in tab.evaluate(RESERVED_VS_RENDERED):
        at = f"{where}: reserved code heights: at {viewport['width']} px, block {block['name']!r}"
        drawn = block["rendered"] - (block["scrollbar"] if block["skipped"] else 0)
        if abs(block["reserved"] - drawn) > 3:
            problems.append(f"{at}: {block['reserved']:.1f} px reserved, {block['rendered']:.1f} px rendered"
                            f" (with a {block['scrollbar']} px scrollbar)")
        if block["top"] > 3 * viewport["height"] and not block["skipped"]:
            problems.append(f"{at}: far below the first screen, yet rendered at load")
    return problems


# The annotation markers of the object-design page's n-th annotated block, scrolled into
# view: their number, once the block is mounted (content.lazy mounts it when it nears the
# viewport); null until then.
BLOCK_MARKERS = """block => {
  const element = document.querySelectorAll("div.annotate")[block]
  element.scrollIntoViewIfNeeded(true)
  return element.querySelectorAll(".md-annotation").length || null
}"""
# The centre of a block's n-th marker, scrolled into view, once no note is open (a closing
# note fades out over the next marker until Material removes it); null until then.
MARKER_TO_CLICK = """([block, number]) => {
  if (document.querySelector(".md-annotation .md-tooltip")) return null
  const index = document.querySelectorAll("div.annotate")[block]
    .querySelectorAll(".md-annotation")[number].querySelector(".md-annotation__index")
  index.scrollIntoViewIfNeeded(true)
  const box = index.getBoundingClientRect()
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}"""
# Once the marker's note is open and still (Material fades and slides it in over 0.25 s):
# whether the point at its centre and its lower corners belongs to this note rather than
# to the page behind a clipped note, and the block's file name.
OPEN_NOTE_PAINTED = """([block, number]) => {
  const element = document.querySelectorAll("div.annotate")[block]
  const note = element.querySelectorAll(".md-annotation")[number].querySelector(".md-tooltip--active")
  if (!note || note.getAnimations().length) return null
  const box = note.getBoundingClientRect()
  const points = [[box.x + box.width / 2, box.y + box.height / 2],
                  [box.x + 3, box.y + box.height - 3], [box.x + box.width - 3, box.y + box.height - 3]]
  return { file: element.querySelector(".filename")?.textContent,
           painted: points.map(([x, y]) => document.elementFromPoint(x, y)?.closest(".md-tooltip") === note) }
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_annotation_notes_open_unclipped(new_context, site_url, lang):
    """Every annotation note opens in full when the reader clicks its marker: the point at
    its centre and its lower corners belongs to the note, not to the page behind a clipped note.

    With reduced motion, Material opens and closes notes without its transitions: each
    note is at once where it comes to rest (15 s per language with them, measured)."""
    tab = new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce").new_page()
    tab.goto(site_url + LANG_PREFIX[lang] + "object-design/", wait_until="load")
    clipped, opened = [], 0
    for block in range(tab.locator("div.annotate").count()):
        markers = tab.wait_for_function(BLOCK_MARKERS, arg=block).json_value()
        for number in range(markers):
            centre = tab.wait_for_function(MARKER_TO_CLICK, arg=[block, number]).json_value()
            tab.mouse.click(centre["x"], centre["y"])
            note = tab.wait_for_function(OPEN_NOTE_PAINTED, arg=[block, number]).json_value()
            if not all(note["painted"]):
                clipped.append(f"{note['file']} note {number + 1}: "
                               f"visible at centre, left, right corner = {note['painted']}")
            opened += 1
            tab.mouse.click(5, 400)  # closes the note
    assert opened >= 10, f"only {opened} annotation notes found on object-design"
    assert not clipped, f"docs/{lang}/object-design.md:\n" + "\n".join(clipped)


HEADER_CONTROLS = {
    "language switch": ".md-header__option .md-select",
    "palette toggle": PALETTE_TOGGLE,
    "page title": ".md-header__title",
}
HEADER_BOXES = """controls => Object.fromEntries(Object.entries(controls).map(([control, selector]) => {
  const box = document.querySelector(selector)?.getBoundingClientRect()
  return [control, box ? [box.x, box.y, box.width, box.height] : "not shown"]
}))"""


@pytest.mark.parametrize("width", [1280, 412])
def test_header_controls_keep_their_place_when_the_scripts_run(browser, site_url, width):
    """Material shows its search box (wide screens) and search button (narrow ones) only
    once the page is marked as scripted, and its palette toggle is hidden until a script
    shows it. overrides/main.html marks the page and shows the toggle before the content is
    parsed, so neither the language switch nor the page title moves or narrows on every
    page load."""
    boxes = {}
    for scripts in ("blocked", "run"):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            tab = context.new_page()
            if scripts == "blocked":
                tab.route(MATERIAL_BUNDLE, lambda route: route.abort())
            tab.goto(site_url + "etcd/raft/", wait_until="load")
            assert tab.evaluate("typeof document$") == ("undefined" if scripts == "blocked" else "object")
            boxes[scripts] = tab.evaluate(HEADER_BOXES, HEADER_CONTROLS)
        finally:
            context.close()
    for control in HEADER_CONTROLS:
        assert boxes["blocked"][control] == boxes["run"][control], (
            f"the {control} moves or resizes when Material's script runs: "
            f"{boxes['blocked'][control]} before, {boxes['run'][control]} after"
        )


# Every value <html>'s class attribute takes while the page loads, in order.
RECORD_HTML_CLASSES = """
window.htmlClasses = []
new MutationObserver(records => {
  for (const record of records)
    if (record.target === document.documentElement) window.htmlClasses.push(record.oldValue)
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["class"], attributeOldValue: true })
"""


def test_material_start_up_leaves_the_html_classes_as_they_are(new_context, site_url):
    """Any class change on <html> restyles the whole page (overrides/main.html says why).
    The classes Material's bundle sets are there before the body is parsed, so the
    bundle changes none."""
    context = new_context()
    tab = context.new_page()
    tab.add_init_script(RECORD_HTML_CLASSES)
    tab.goto(site_url + "etcd/raft/", wait_until="load")
    tab.wait_for_function("typeof document$ === 'object'")
    values = [*tab.evaluate("window.htmlClasses"), tab.evaluate("document.documentElement.className")]
    assert values[0] == "no-js", f"the page is served with classes {values[0]!r}"
    after_head = [sorted(value.split()) for value in values[1:]]
    assert after_head and all(classes == after_head[0] for classes in after_head), (
        f"<html>'s classes change after the head has run: {values[1:]}"
    )
    assert after_head[0] == ["js", "js-focus-visible"]


def test_without_javascript_the_page_keeps_no_js(new_context, site_url):
    context = new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "etcd/raft/", wait_until="load")
    assert tab.evaluate("document.documentElement.className") == "no-js"


SHORT_PAGE = "404.html"  # fits on one screen, so it has no scrollbar of its own


def test_content_keeps_its_place_whether_or_not_the_page_scrolls(context, site_url):
    """The scrollbar's width is reserved from the first frame: a long page painted before
    all its text has arrived does not jump sideways when its scrollbar appears (a layout
    shift Lighthouse counts), and short and long pages line up."""
    tab = context.new_page()
    layout = {}
    for path in (SHORT_PAGE, "core-objects/", "en/core-objects/"):
        tab.goto(site_url + path, wait_until="load")
        layout[path] = tab.evaluate("""() => ({
          scrolls: document.documentElement.scrollHeight > innerHeight,
          left: document.querySelector(".md-header__inner").getBoundingClientRect().x,
        })""")
    size = "{width}×{height}".format(**tab.viewport_size)
    assert not layout[SHORT_PAGE]["scrolls"], f"{SHORT_PAGE} scrolls at {size}: pick a shorter page"
    assert layout["core-objects/"]["scrolls"] and layout["en/core-objects/"]["scrolls"]
    lefts = {path: found["left"] for path, found in layout.items()}
    assert len(set(lefts.values())) == 1, f"header starts at different x: {lefts}"


FIGURES = 'article img[src*="/imgs/"]'
FIGURE_BOXES = """figures => figures.map(img => ({
  src: img.getAttribute("src"), loaded: img.complete && img.naturalWidth > 0,
  width: img.getBoundingClientRect().width, height: img.getBoundingClientRect().height,
}))"""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", [412, 1280])
def test_figures_keep_their_place_while_they_load(new_context, site_url, lang, width):
    """A figure takes its final size before its SVG arrives, so the text below it does not
    jump when it lands. The SVGs are held back until the page has been measured once."""
    context = new_context(viewport={"width": width, "height": 900})
    held = []
    context.route("**/imgs/*.svg", lambda route: held.append(route))
    tab = context.new_page()
    tab.goto(f"{site_url}{LANG_PREFIX[lang]}components/", wait_until="domcontentloaded")
    before = tab.locator(FIGURES).evaluate_all(FIGURE_BOXES)
    assert len(before) >= 2 and not any(box["loaded"] for box in before), before
    for route in held:
        route.continue_()
    tab.wait_for_function(
        "selector => [...document.querySelectorAll(selector)].every(img => img.complete && img.naturalWidth > 0)",
        arg=FIGURES,
    )
    after = tab.locator(FIGURES).evaluate_all(FIGURE_BOXES)
    moved = [
        f"{b['src']}: {b['width']:.0f}×{b['height']:.0f} while loading, {a['width']:.0f}×{a['height']:.0f} loaded"
        for b, a in zip(before, after)
        if abs(b["height"] - a["height"]) > 1 or abs(b["width"] - a["width"]) > 1
    ]
    assert not moved, "\n".join(moved)
