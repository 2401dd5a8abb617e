"""Broken links and anchors are reported with the page and line they are on.

MkDocs' link validation names the page but not the line, which is slow to find
on a long page in two languages. This hook adds ``docs/<page>:<line>:`` to each
of those warnings (the build still fails on them: ``mkdocs build --strict``).
"""

import logging
import re
from pathlib import Path

LINK_WARNING = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?:a|an [\w ]+?) link '(?P<link>[^']+)'")


class _AddLine(logging.Filter):
    def __init__(self, docs_dir: Path):
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record):
        match = LINK_WARNING.match(record.getMessage())
        if match:
            source = self.docs_dir / match["page"]
            lines = source.read_text(encoding="utf-8").splitlines() if source.is_file() else []
            number = next((n for n, line in enumerate(lines, 1) if match["link"] in line), None)
            where = f"docs/{match['page']}" + (f":{number}" if number else "")
            record.msg, record.args = f"{where}: {record.getMessage()}", ()
        return True


def on_config(config):
    logger = logging.getLogger("mkdocs.structure.pages")
    for old in [f for f in logger.filters if isinstance(f, _AddLine)]:
        logger.removeFilter(old)  # mkdocs serve runs on_config again on every rebuild
    logger.addFilter(_AddLine(Path(config["docs_dir"])))
