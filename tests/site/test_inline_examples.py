"""Python blocks written inline in the pages run, lint clean, and print what they show.

Most examples are snippet files; this covers the short ones written in the
Markdown itself. Printed output is checked against ``#>`` comments; refresh
them with ``pytest --update-examples``.
"""

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from code_blocks import DOCS, ROOT, SNIPPET_LINE


def inline_python(example: CodeExample) -> bool:
    if example.prefix.startswith(("pycon", "{.pycon")) or "no-test" in example.prefix:
        return False
    lines = [line for line in example.source.splitlines() if line.strip()]
    return not all(SNIPPET_LINE.match(line) for line in lines)


EXAMPLES = [ex for ex in find_examples(DOCS) if inline_python(ex)]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: str(ex.path.relative_to(ROOT)) + f":{ex.start_line}")
def test_inline_python_example(example: CodeExample, eval_example: EvalExample, etcd, monkeypatch):
    monkeypatch.setenv("ETCDCTL_ENDPOINTS", etcd.endpoints)
    eval_example.config.line_length = 100
    if eval_example.update_examples:
        eval_example.format(example)
        eval_example.run_print_update(example)
    else:
        eval_example.lint(example)
        eval_example.run_print_check(example)


def sources_by_page(lang: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for example in EXAMPLES:
        relative = example.path.relative_to(DOCS)
        if relative.parts[0] == lang:
            found.setdefault(str(relative.relative_to(lang)), []).append(example.source)
    return found


def test_twins_show_the_same_inline_code():
    zh, en = sources_by_page("zh"), sources_by_page("en")
    assert zh == en, "inline Python differs between docs/zh and docs/en (same code, only prose is translated)"
