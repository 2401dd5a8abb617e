"""Language alternates (hreflang) are published in the sitemap, not in page heads.

Material treats every ``<link rel="alternate">`` in a page head as the root of a
language and fetches ``sitemap.xml`` next to it. The i18n plugin points those
links at the twin page, so every page load asked for ``<page>/sitemap.xml`` and
got a 404. Search engines read hreflang from a sitemap as well as from the head,
and the i18n plugin already lists each page with its twins in ``sitemap.xml``
(``<xhtml:link rel="alternate" hreflang>``, absolute URLs), so the head links
are dropped. The language switch in the header is a separate set of links and
is not touched.
"""

import re

HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    head, body = output.split("</head>", 1)
    return HEAD_ALTERNATE.sub("", head) + "</head>" + body
