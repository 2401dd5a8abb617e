"""Find the fenced code blocks of the pages, for the tests that check them."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# The site's languages: docs/zh/ (the default, at /) and docs/en/, one twin of each page in each.
LANGUAGES = ("zh", "en")

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
# A line that includes a file of snippets/ (pymdownx.snippets), as hooks/snippet_includes.py reads it.
SNIPPET_LINE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')


def snippet_includes(text: str) -> list[tuple[int, str]]:
    """(1-based line, snippet) for every ``--8<-- "snippet"`` line of a page's text."""
    return [(number, m["path"]) for number, line in enumerate(text.splitlines(), 1)
            if (m := SNIPPET_LINE.match(line))]


def includes(text: str, snippet: str) -> bool:
    """Whether a page's text (or part of it) includes ``snippets/<snippet>``."""
    return any(path == snippet for _, path in snippet_includes(text))


@dataclass
class CodeBlock:
    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    classes: set[str] = field(default_factory=set)
    title: str = ""
    body: str = ""
    end: int = 0  # 1-based line of the closing fence

    @property
    def where(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line}"

    @property
    def included_snippets(self) -> list[str]:
        return [m["path"] for line in self.body.splitlines() if (m := SNIPPET_LINE.match(line))]

    @property
    def is_only_includes(self) -> bool:
        lines = [line for line in self.body.splitlines() if line.strip()]
        return bool(lines) and all(SNIPPET_LINE.match(line) for line in lines)


def parse_info(info: str) -> tuple[str, set[str], str]:
    """Language, classes and title of a fence info string.

    Handles ``shell``, ``shell title="x"`` and ``{ .shell .no-test title="x" }``.
    """
    title_match = re.search(r'title="([^"]*)"', info)
    title = title_match.group(1) if title_match else ""
    tokens = shlex.split(re.sub(r'\w+="[^"]*"', "", info).replace("{", " ").replace("}", " "))
    classes = {t[1:] for t in tokens if t.startswith(".")}
    words = [t for t in tokens if not t.startswith(".")]
    if words:
        lang = words[0]
    else:
        ordered = [t[1:] for t in tokens if t.startswith(".")]
        lang = ordered[0] if ordered else ""
    classes.discard(lang)
    return lang.lower(), classes, title


def code_blocks(page: Path) -> list[CodeBlock]:
    blocks, current, closing = [], None, None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        match = FENCE.match(line)
        if current is None:
            if match:
                try:
                    lang, classes, title = parse_info(match["info"])
                except ValueError as error:  # shlex: an unbalanced quote
                    raise ValueError(f"{page}:{number}: cannot read the fence {line.strip()!r}: {error}") from None
                current = CodeBlock(page, number, lang, classes, title)
                closing = (match["indent"], match["fence"])
            continue
        if match and not match["info"].strip() and match["fence"].startswith(closing[1]) \
                and len(match["indent"]) <= len(closing[0]):
            current.end = number
            blocks.append(current)
            current = None
            continue
        current.body += line[len(closing[0]):] + "\n"
    if current is not None:
        raise ValueError(f"{current.where}: code block is never closed")
    return blocks


def all_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))
