"""A missing snippet fails the build naming the page and line that include it.

pymdownx.snippets stops the build on a missing file (``check_paths``) but names
only the file it looked for. Authors need the include that is wrong, so this
hook checks every ``--8<-- "path"`` line of a page first.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^"]+)"\s*$')


def on_page_markdown(markdown, page, config, files):
    base = config["mdx_configs"]["pymdownx.snippets"]["base_path"]
    bases = [Path(b) for b in (base if isinstance(base, list) else [base])]
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8") if page.file.abs_src_path else markdown
    for number, line in enumerate(source.splitlines(), 1):
        match = INCLUDE.match(line)
        if match and not any((b / match["path"]).is_file() for b in bases):
            raise PluginError(f"docs/{page.file.src_uri}:{number}: includes \"{match['path']}\", "
                              f"but snippets/{match['path']} does not exist")
    return markdown
