"""Render Jupyter notebooks in every language, with a same-page language switch
and stable heading anchors.

mkdocs-static-i18n replaces each file object with its own after
mkdocs-jupyter has wrapped the notebooks, so notebooks would be copied as raw
JSON instead of rendered (mkdocs-static-i18n issue #198), and since the i18n
plugin only pairs Markdown pages, the language switch on a notebook would land
on the home page. This hook wraps the notebooks again after the i18n plugin,
keeps the destination it chose (``/etcd/python-client/``,
``/en/etcd/python-client/``) and points the switch at the notebook's twin.

nbconvert gives Chinese headings an empty id, so the page's table of contents
would point nowhere. A notebook heading that follows ``<a id="connect"></a>``
takes that id instead (the same in both languages, like ``{#connect}`` on Markdown
pages), and the table of contents is rebuilt from the rendered headings.
"""

import html
import os
import re
from pathlib import Path
from types import SimpleNamespace

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter.plugin import NotebookFile


@event_priority(-101)  # after mkdocs-static-i18n's on_files, which runs at -100
def on_files(files, config):
    jupyter = config.plugins["mkdocs-jupyter"]
    i18n = config.plugins["i18n"]
    # Replace in place: the collection is the i18n plugin's own Files subclass,
    # which resolves nav entries like "index.md" to the current language's file.
    for file in list(files):
        if jupyter.should_include(file) and not isinstance(file, NotebookFile):
            # The i18n plugin already gave the file its page destination and URL.
            dest_uri, url = file.dest_uri, file.url
            notebook = NotebookFile(file, **config)
            notebook.dest_path, notebook.url = dest_uri, url
            notebook.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, dest_uri))
            notebook.file.alternates = _twins(file, i18n, config)
            files.remove(file)
            files.append(notebook)
            # The i18n plugin lists each language's pages for sitemap.xml before this hook
            # runs, when a notebook was not yet a page: list it there too.
            i18n.i18n_files_per_language[i18n.current_language].append(notebook)
    return files


def _twins(file, i18n, config) -> dict:
    """The same notebook in each language that has it, as the i18n plugin expects."""
    docs_dir = Path(config.docs_dir)
    relative = Path(file.abs_src_path).relative_to(docs_dir)
    within_language = Path(*relative.parts[1:])  # drop the zh/ or en/ folder
    page_url = file.url
    if i18n.current_language != i18n.default_language:
        page_url = page_url.removeprefix(f"{i18n.current_language}/")
    twins = {}
    for language in i18n.all_languages:
        if (docs_dir / language / within_language).is_file():
            prefix = "" if language == i18n.default_language else f"{language}/"
            twins[language] = SimpleNamespace(url=prefix + page_url, page=None)  # page: read by sitemap.xml
    return twins


ANCHOR_THEN_HEADING = re.compile(
    r'<p><a id="(?P<id>[\w-]+)"></a></p>\s*<h(?P<level>[1-6]) id="[^"]*">(?P<title>.*?)'
    r'<a class="anchor-link" href="#[^"]*">')
HEADING = re.compile(r'<h(?P<level>[1-6]) id="(?P<id>[^"]*)">(?P<title>.*?)<a class="anchor-link"')


def on_page_content(content, page, config, files):
    if not isinstance(page.file, NotebookFile):
        return content
    content = ANCHOR_THEN_HEADING.sub(
        lambda m: f'<h{m["level"]} id="{m["id"]}">{m["title"]}<a class="anchor-link" href="#{m["id"]}">',
        content)
    page.toc = get_toc(_nest([
        {"level": int(m["level"]), "id": m["id"], "name": html.unescape(re.sub(r"<[^>]+>", "", m["title"])),
         "children": []}
        for m in HEADING.finditer(content)
    ]))
    return content


def _nest(flat: list[dict]) -> list[dict]:
    """Nest headings by level, as Python-Markdown's toc_tokens are nested."""
    roots: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return roots
