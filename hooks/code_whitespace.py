"""Code blocks keep their whitespace as text, not as one element per run of spaces.

Pygments wraps every run of whitespace in ``<span class="w">``. No stylesheet
gives that class a style, yet those spans are a quarter of the elements on a
page full of YAML or shell, and the browser styles and lays out each one while
the page loads. Unwrapping them leaves the same text, so copying and
highlighting are unchanged (tests/site/test_browser.py copies a block and compares
it with its snippet file).
"""

import re

WHITESPACE_TOKEN = re.compile(r'<span class="w">(\s*)</span>')


def on_page_content(html, page, config, files):
    return WHITESPACE_TOKEN.sub(r"\1", html)
