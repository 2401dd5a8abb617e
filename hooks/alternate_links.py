"""Absolute hreflang links, and a sitemap for every language folder.

Search engines ignore relative ``<link rel="alternate" hreflang>`` URLs, so
this hook makes the twin-page links in each page's head absolute (from
``site_url``). Material then reads ``sitemap.xml`` next to every alternate
link's language root; the i18n plugin writes only the root one, so each other
language gets its own ``/<lang>/sitemap.xml`` listing its pages.
"""

import re
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.plugins import event_priority

ALTERNATE = re.compile(r'(<link rel="alternate" href=")([^"]+)(" hreflang="[^"]+">)')
SITEMAP_URL = re.compile(r"\s*<url>.*?</url>", re.S)


def on_post_page(output, page, config):
    page_url = urljoin(config.site_url, page.url)
    return ALTERNATE.sub(lambda m: m.group(1) + urljoin(page_url, m.group(2)) + m.group(3), output)


@event_priority(-200)  # after mkdocs-static-i18n has finished every language
def on_post_build(config):
    i18n = config.plugins["i18n"]
    if i18n.building:
        return
    site = Path(config.site_dir)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for language in i18n.all_languages:
        if language == i18n.default_language:
            continue
        root = urljoin(config.site_url, f"{language}/")
        entries = [e for e in SITEMAP_URL.findall(sitemap) if f"<loc>{root}" in e]
        head, tail = sitemap.split("<url>", 1)[0].rstrip(), "\n</urlset>\n"
        (site / language / "sitemap.xml").write_text(head + "".join(entries) + tail, encoding="utf-8")
