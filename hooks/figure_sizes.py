"""Figures state their size, so the page keeps their place before they arrive.

A Markdown image becomes an ``<img>`` with no ``width`` or ``height``: until the
SVG has downloaded, the browser gives it no height, and the text below jumps
down when it lands (on a slow phone connection that is well after first paint).
Material styles content images ``max-width: 100%; height: auto``, so a figure
that states its size still shrinks to the column, at its own aspect ratio. This
hook copies each figure's size from the root of its SVG in ``imgs/``.
"""

import re
from pathlib import Path

FIGURE = re.compile(r'<img (?P<attributes>[^>]*?\bsrc="[^"]*\bimgs/(?P<name>[\w.-]+\.svg)"[^>]*?)\s*/?>')
SVG_ROOT = re.compile(r"<svg\b[^>]*>")
LENGTH = re.compile(r'\b(?P<axis>width|height)="(?P<value>[\d.]+)(?P<unit>pt|px)?"')
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, None: 1.0}  # CSS: 1pt = 4/3 px


def svg_size(path: Path) -> tuple[int, int]:
    """The (width, height) in CSS pixels that the SVG's root element declares.

    Read on every build, not cached: under ``mkdocs serve`` a redrawn figure may change size.
    """
    root = SVG_ROOT.search(path.read_text(encoding="utf-8"))
    lengths = {
        m["axis"]: round(float(m["value"]) * PX_PER_UNIT[m["unit"]]) for m in LENGTH.finditer(root[0] if root else "")
    }
    if set(lengths) != {"width", "height"}:
        raise ValueError(f"{path}: the <svg> root needs a width and a height (in pt, px or no unit)")
    return lengths["width"], lengths["height"]


def on_page_content(html, page, config, files):
    imgs = Path(config.config_file_path).parent / "imgs"

    def with_size(figure: re.Match) -> str:
        svg = imgs / figure["name"]
        if re.search(r"\b(width|height)=", figure["attributes"]) or not svg.is_file():
            return figure[0]  # sized by hand, or a broken link that MkDocs reports with its page
        width, height = svg_size(svg)
        return f'<img {figure["attributes"]} width="{width}" height="{height}" />'

    return FIGURE.sub(with_size, html)
