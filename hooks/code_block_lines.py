"""Each code block states its line count, so the browser can skip it until it is near.

Most of a long page is code: on etcd/wal-mvcc three elements in four sit inside
`<pre>`. The stylesheet gives code blocks that carry a line count
`content-visibility: auto`, so blocks far from the viewport are neither styled
nor laid out while the page loads, nor each time Material's scripts recompute
the page's styles. A skipped block takes the height reserved for it; that
height comes from its line count, so nothing moves when the reader scrolls to
it. tests/test_browser.py compares the reserved height with the rendered one
on every page.

Blocks with annotations get no line count: their notes open outside the block,
and the containment that comes with `content-visibility` would clip them.
"""

import re

# A fenced block as pymdownx.highlight writes it, and the list of annotation notes
# that follows it when it has any. Notebook cells are written differently and kept.
CODE_BLOCK = re.compile(
    r'(?P<head><div class="(?P<classes>[^"]*)">(?:<span class="filename">[^<]*</span>)?)'
    r"<pre><span></span><code>(?P<code>.*?)</code></pre></div>(?P<notes>\s*<ol>)?",
    re.DOTALL,
)


def on_page_content(html, page, config, files):
    def with_line_count(block: re.Match) -> str:
        if "annotate" in block["classes"].split() or block["notes"]:
            return block[0]
        lines = block["code"].rstrip("\n").count("\n") + 1
        return block[0].replace("<pre>", f'<pre style="--code-lines: {lines}">', 1)

    return CODE_BLOCK.sub(with_line_count, html)
