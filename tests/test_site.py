"""The site builds strictly in both languages, and every page has its twin."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGS = ("zh", "en")
PAGE_SUFFIXES = (".md", ".ipynb")

ANCHOR = re.compile(r"\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
SNIPPET = re.compile(r'--8<--\s+"([^"]+)"')
FIGURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def pages(lang):
    root = DOCS / lang
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.suffix in PAGE_SUFFIXES)


def test_strict_build_succeeds(built_site):
    assert built_site.returncode == 0, built_site.log
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
    found, fence = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if marker:
            if fence is None:
                fence = marker.group(1)
            elif marker.group(1).startswith(fence):
                fence = None
        if fence is not None and pattern is not SNIPPET:
            continue
        found += [(number, m) for m in pattern.findall(line)]
    return found


def language_neutral(figure: str) -> str:
    return re.sub(r"\.(zh|en)\.(svg|png)$", r".\2", figure)


TWINS = [p for p in pages("zh") if p.suffix == ".md" and (DOCS / "en" / p).exists()]


@pytest.mark.parametrize("page", TWINS, ids=str)
@pytest.mark.parametrize(
    "what, pattern, key",
    [
        ("anchors", ANCHOR, str),
        ("included snippets", SNIPPET, str),
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


@pytest.mark.parametrize("lang", LANGS)
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
