"""Render Jupyter notebooks in every language, with a same-page language switch.

mkdocs-static-i18n replaces each file object with its own after
mkdocs-jupyter has wrapped the notebooks, so notebooks would be copied as raw
JSON instead of rendered (mkdocs-static-i18n issue #198), and since the i18n
plugin only pairs Markdown pages, the language switch on a notebook would land
on the home page. This hook wraps the notebooks again after the i18n plugin,
keeps the destination it chose (``/etcd/python-client/``,
``/en/etcd/python-client/``) and points the switch at the notebook's twin.
"""

import os
from pathlib import Path
from types import SimpleNamespace

from mkdocs.plugins import event_priority
from mkdocs_jupyter.plugin import NotebookFile


@event_priority(-100)  # after mkdocs-static-i18n's on_files
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
            twins[language] = SimpleNamespace(url=prefix + page_url)
    return twins
