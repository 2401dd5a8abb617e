"""Each code block states its line count, so the browser can skip it until it is near.

Most of a long page is code: on etcd/raft three elements in four sit inside
`<pre>`. The stylesheet gives code blocks that carry a line count
`content-visibility: auto`, so blocks far from the viewport are neither styled
nor laid out while the page loads, nor each time Material's scripts recompute
the page's styles. A skipped block takes the height reserved for it; that
height comes from its line count, so nothing moves when the reader scrolls to
it. tests/site/test_browser.py compares the reserved height with the rendered one
on every page.
"""

import re

# A fenced block as pymdownx.highlight writes it. Notebook cells are written differently and kept.
CODE_BLOCK = re.compile(r"<pre><span></span><code>(?P<code>.*?)</code></pre>", re.DOTALL)


def on_page_content(html, page, config, files):
    def with_line_count(block: re.Match) -> str:
        lines = block["code"].rstrip("\n").count("\n") + 1
        return block[0].replace("<pre>", f'<pre style="--code-lines: {lines}">', 1)

    return CODE_BLOCK.sub(with_line_count, html)
