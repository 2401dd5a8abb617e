"""Figures are drawn inline, as ``<svg>`` in the page, not loaded through ``<img>``.

A figure behind an ``<img>`` is a second request, and a phone-sized Chromium often
presented its first frame a second or more after it had painted the text while it
waited on that image: pages with figures lost up to 0.05 of their mobile Lighthouse
score to it. Inline, the figure is laid out with the page at its own size and
aspect ratio (Material styles ``.md-typeset svg`` as ``max-width: 100%;
height: auto``), and nothing shifts when it arrives.

A Markdown image ``![alt](../imgs/<name>.<lang>.svg)`` becomes a link to the SVG
file (so a reader can open the figure on its own and zoom in) around the SVG's
markup, with the alt text as its accessible name. Graphviz's ``<title>`` tooltips
and ``id`` attributes are dropped: nothing refers to them, and two figures on one
page would repeat the same ids.

This runs after the search plugin has indexed the page, so figure labels stay out
of the search index.
"""

import re
from pathlib import Path

FIGURE = re.compile(r'<img (?P<attributes>[^>]*?\bsrc="(?P<src>[^"]*\bimgs/(?P<name>[\w.-]+\.svg))"[^>]*?)\s*/?>')
ALT = re.compile(r'\balt="(?P<alt>[^"]*)"')
SVG_ROOT = re.compile(r"<svg\b[^>]*>")
LENGTH = re.compile(r'(?<![\w-])(?P<axis>width|height)="(?P<value>[\d.]+)(?P<unit>pt|px)?"')
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, None: 1.0}  # CSS: 1pt = 4/3 px
NOT_NEEDED_INLINE = [
    re.compile(r"\A.*?(?=<svg\b)", re.DOTALL),  # XML declaration, doctype, comments
    re.compile(r"<title>.*?</title>\s*", re.DOTALL),
    re.compile(r"<!--.*?-->\s*", re.DOTALL),
    re.compile(r'\s(?:id|xmlns:xlink)="[^"]*"'),
]


def svg_size(root: str, path: Path) -> tuple[int, int]:
    """The (width, height) in CSS pixels that the SVG's root element declares."""
    lengths = {m["axis"]: round(float(m["value"]) * PX_PER_UNIT[m["unit"]]) for m in LENGTH.finditer(root)}
    if set(lengths) != {"width", "height"}:
        raise ValueError(f"{path}: the <svg> root needs a width and a height (in pt, px or no unit)")
    return lengths["width"], lengths["height"]


def inline_svg(path: Path, label: str) -> str:
    """The SVG's markup, ready to sit inside HTML, named ``label`` for assistive technology.

    Read on every build, not cached: under ``mkdocs serve`` a redrawn figure shows at once.
    """
    svg = path.read_text(encoding="utf-8")
    for pattern in NOT_NEEDED_INLINE:
        svg = pattern.sub("", svg)
    root = SVG_ROOT.search(svg)
    if not root:
        raise ValueError(f"{path}: no <svg> element")
    width, height = svg_size(root[0], path)
    kept = " ".join(LENGTH.sub("", root[0].removeprefix("<svg").removesuffix(">")).split())
    new_root = f'<svg class="figure" role="img" aria-label="{label}" width="{width}" height="{height}" {kept}>'
    return new_root + svg[root.end() :].rstrip()


def on_post_page(output, page, config):
    imgs = Path(config.config_file_path).parent / "imgs"

    def inlined(figure: re.Match) -> str:
        svg = imgs / figure["name"]
        if not svg.is_file():
            return figure[0]  # a broken link, which MkDocs reports with its page
        alt = ALT.search(figure["attributes"])
        if not alt or not alt["alt"].strip():
            raise ValueError(f"docs/{page.file.src_uri}: figure {figure['src']} has no alt text; describe it")
        return f'<a class="figure-link" href="{figure["src"]}">{inline_svg(svg, alt["alt"])}</a>'

    return FIGURE.sub(inlined, output)
