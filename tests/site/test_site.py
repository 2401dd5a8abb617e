"""The site builds strictly in both languages, and every page has its twin."""

import re
from collections import Counter
from pathlib import Path

import pytest
from code_blocks import DOCS, LANGUAGES, ROOT, SNIPPET_LINE, code_blocks

PAGE_SUFFIXES = (".md", ".ipynb")

ANCHOR = re.compile(r"\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
FIGURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def pages(lang):
    root = DOCS / lang
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.suffix in PAGE_SUFFIXES)


def test_strict_build_succeeds(built_site):
    # built_site fails when mkdocs exits non-zero; --strict counts only warnings logged under
    # "mkdocs", so this also catches those that libraries log under their own names.
    warnings = [line for line in built_site.log.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)


@pytest.mark.parametrize("lang, prefix", [("zh", ""), ("en", "en/")])
def test_every_page_is_built(built_site, lang, prefix):
    for page in pages(lang):
        if page.name == "index.md":
            target = page.parent / "index.html"
        else:
            target = page.with_suffix("") / "index.html"
        built = built_site.site_dir / prefix / target
        assert built.is_file(), f"docs/{lang}/{page} was not built to {built}"


@pytest.mark.parametrize("lang, other", [("zh", "en"), ("en", "zh")])
def test_every_page_has_its_twin(lang, other):
    missing = [f"docs/{lang}/{p}" for p in pages(lang) if not (DOCS / other / p).exists()]
    assert not missing, f"pages without a twin in docs/{other}/: {missing}"


def features(path: Path, pattern: re.Pattern) -> list[tuple[int, str]]:
    """(line number, value) of every match; anchors and figures only outside code fences."""
    in_code = set()
    if pattern is not SNIPPET_LINE:
        for block in code_blocks(path):
            in_code.update(range(block.line, block.end + 1))
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(number, m) for number, line in enumerate(lines, 1) if number not in in_code
            for m in pattern.findall(line)]


def language_neutral(figure: str) -> str:
    return re.sub(r"\.(zh|en)\.(svg|png)$", r".\2", figure)


TWINS = [p for p in pages("zh") if p.suffix == ".md" and (DOCS / "en" / p).exists()]


@pytest.mark.parametrize("page", TWINS, ids=str)
@pytest.mark.parametrize(
    "what, pattern, key",
    [
        ("anchors", ANCHOR, str),
        ("included snippets", SNIPPET_LINE, str),
        ("figures", FIGURE, language_neutral),
    ],
    ids=["anchors", "snippets", "figures"],
)
def test_twins_match(page, what, pattern, key):
    zh, en = DOCS / "zh" / page, DOCS / "en" / page
    zh_items = features(zh, pattern)
    en_items = features(en, pattern)
    zh_keys = [key(v) for _, v in zh_items]
    en_keys = [key(v) for _, v in en_items]
    if zh_keys == en_keys:
        return
    for (zl, zv), (el, ev) in zip(zh_items, en_items):
        if key(zv) != key(ev):
            pytest.fail(f"{what} differ: docs/zh/{page}:{zl} has {zv!r}, docs/en/{page}:{el} has {ev!r}")
    longer, shorter = (zh, en) if len(zh_items) > len(en_items) else (en, zh)
    extra = (zh_items if longer is zh else en_items)[len(min(zh_items, en_items, key=len)):]
    line, value = extra[0]
    pytest.fail(f"{what} differ: {longer.relative_to(ROOT)}:{line} has {value!r}, "
                f"missing in {shorter.relative_to(ROOT)}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figures_use_the_page_language(lang):
    wrong = []
    for page in pages(lang):
        if page.suffix != ".md":
            continue
        for line, figure in features(DOCS / lang / page, FIGURE):
            other = "en" if lang == "zh" else "zh"
            if f".{other}." in figure:
                wrong.append(f"docs/{lang}/{page}:{line}: {figure}")
    assert not wrong, "figures in the other language: " + ", ".join(wrong)


def test_every_link_in_the_built_site_resolves(built_site):
    """Relative links in the built pages (notebooks included, whose Markdown MkDocs
    does not check) point at files that exist."""
    import html
    from urllib.parse import urlsplit

    site = built_site.site_dir
    prefix = urlsplit(built_site.site_url).path  # absolute links start with site_url's path
    broken = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"]+)"', text):
            url = urlsplit(html.unescape(href))
            if url.scheme or url.netloc or not url.path:
                continue  # other hosts, pure fragments
            if url.path.startswith("/"):
                if not url.path.startswith(prefix):
                    broken.append(f"{page.relative_to(site)} → {href}")
                    continue
                target = site / url.path[len(prefix):]
            else:
                target = (page.parent / url.path).resolve()
            if url.path.endswith("/") or target.is_dir():  # directory URLs serve index.html
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {href}")
    assert not broken, "broken links in the built site:\n" + "\n".join(sorted(set(broken))[:30])


def test_sitemap_pairs_every_page_with_its_twin(built_site):
    """hreflang lives in sitemap.xml (hooks/hreflang_in_sitemap.py): every built page is
    listed with an absolute alternate per language, each pointing at a page that exists,
    and no page head carries ``<link rel="alternate" hreflang>`` any more."""
    import xml.etree.ElementTree as ET

    site, base = built_site.site_dir, built_site.site_url
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {}
    for url in ET.parse(site / "sitemap.xml").getroot().findall("s:url", ns):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        entries[url.findtext("s:loc", namespaces=ns)] = alternates
    folders = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    built = {base if folder == "." else f"{base}{folder}/" for folder in folders}
    assert set(entries) == built, f"sitemap and built pages differ: {set(entries) ^ built}"
    problems = []
    for loc, alternates in entries.items():
        if set(alternates) != set(LANGUAGES) or loc not in alternates.values():
            problems.append(f"{loc}: alternates {alternates}")
        problems += [f"{loc}: {lang} alternate {href} was not built"
                     for lang, href in alternates.items() if href not in built]
    heads = [str(p.relative_to(site)) for p in site.rglob("index.html")
             if re.search(r'<link rel="alternate"[^>]*hreflang', p.read_text(encoding="utf-8").split("</head>")[0])]
    assert not problems, "\n".join(problems)
    assert not heads, f"pages still carry hreflang links in their head: {heads[:5]}"


def test_code_blocks_have_no_whitespace_spans(built_site):
    """hooks/code_whitespace.py unwraps Pygments' whitespace tokens (an element per run
    of spaces, styled by nothing); a page that still has them costs its readers for nothing."""
    pages = [str(p.relative_to(built_site.site_dir)) for p in built_site.site_dir.rglob("*.html")
             if '<span class="w">' in p.read_text(encoding="utf-8")]
    assert not pages, f"whitespace spans left in: {pages[:5]}"


def test_code_blocks_state_their_line_count(built_site):
    """hooks/code_block_lines.py gives each code block its line count, from which the
    stylesheet reserves the block's height while the browser skips it."""
    from bs4 import BeautifulSoup

    problems, counted = [], 0
    for page in sorted(built_site.site_dir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for pre in soup.select("div.highlight > pre"):
            block = pre.parent
            if block.find_parent(class_="jupyter-wrapper"):
                continue  # notebook cells are laid out as they are
            name = block.select_one("span.filename")
            where = f"{page.relative_to(built_site.site_dir)} ({name.get_text() if name else 'unnamed block'})"
            stated = re.fullmatch(r"--code-lines: (\d+)", pre.get("style", ""))
            lines = len(pre.code.get_text().rstrip("\n").split("\n"))
            if not stated:
                problems.append(f"{where}: no line count")
            elif int(stated[1]) != lines:
                problems.append(f"{where}: states {stated[1]} lines, has {lines}")
            counted += bool(stated)
    assert not problems, "\n".join(problems)
    assert counted > 100, f"only {counted} code blocks carry a line count"


def test_no_page_repeats_an_id(built_site):
    """Repeated ids break in-page links and the labels that point at them."""
    repeated = []
    for page in sorted(built_site.site_dir.rglob("*.html")):
        ids = Counter(re.findall(r'<[^>]*?\sid="([^"]+)"', page.read_text(encoding="utf-8")))
        twice = sorted(i for i, count in ids.items() if count > 1)
        if twice:
            repeated.append(f"{page.relative_to(built_site.site_dir)}: {twice}")
    assert not repeated, "\n".join(repeated)


def test_figures_state_their_size(built_site):
    """hooks/figure_sizes.py copies each SVG's own size onto its <img>, so the browser
    keeps the figure's place before the file arrives."""
    import xml.etree.ElementTree as ET

    px_per = {"pt": 4 / 3, "px": 1, None: 1}
    problems, checked = [], 0
    for page in sorted(built_site.site_dir.rglob("*.html")):
        for img in re.findall(r"<img [^>]*>", page.read_text(encoding="utf-8")):
            figure = re.search(r'src="[^"]*\bimgs/([\w.-]+\.svg)"', img)
            if not figure:
                continue
            root = ET.parse(ROOT / "imgs" / figure[1]).getroot()
            lengths = {axis: re.fullmatch(r"([\d.]+)(pt|px)?", root.get(axis, "")) for axis in ("width", "height")}
            expected = {axis: str(round(float(m[1]) * px_per[m[2]])) for axis, m in lengths.items() if m}
            stated = dict(re.findall(r'\b(width|height)="(\d+)"', img))
            if stated != expected:
                where = page.relative_to(built_site.site_dir)
                problems.append(f"{where}: {figure[1]} states {stated or 'no size'}, is {expected}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 12, f"only {checked} figures found in the built site"


def test_search_dialog_has_an_accessible_name(built_site):
    """overrides/main.html names Material's search dialog in the page's language."""
    for page, name in [("index.html", "查找"), ("en/index.html", "Search")]:
        html = (built_site.site_dir / page).read_text(encoding="utf-8")
        assert f'data-md-component="search" role="dialog" aria-label="{name}">' in html, page
