"""Chinese pages follow the usual copywriting rules (autocorrect): spaces between
Chinese and Latin text, full-width punctuation in Chinese sentences."""

import autocorrect_py
import pytest

from code_blocks import DOCS, ROOT

ZH_PAGES = sorted((DOCS / "zh").rglob("*.md"))


@pytest.mark.parametrize("page", ZH_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_chinese_copywriting(page):
    result = autocorrect_py.lint_for(page.read_text(encoding="utf-8"), str(page))
    problems = [
        f"{page.relative_to(ROOT)}:{line.line}:{line.col}: {line.old.strip()!r} -> {line.new.strip()!r}"
        for line in result.lines
    ]
    assert not problems, "\n".join(problems)


def test_lint_catches_missing_spaces_and_halfwidth_commas():
    result = autocorrect_py.lint_for("使用etcd存储,很好\n", "example.md")
    assert [line.new for line in result.lines] == ["使用 etcd 存储，很好"]
