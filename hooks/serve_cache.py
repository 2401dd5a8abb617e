"""Under ``mkdocs serve``, a rebuild redoes only the work that an edit can change.

After every edit ``mkdocs serve`` rebuilds the whole site in both languages:
every page is converted from Markdown (or by nbconvert), indexed for search and
laid out by the theme again, and every theme template is compiled again, so a
one-line edit took five to ten seconds to reach the browser. Hooks live as long
as the serve process, so this one keeps, from one rebuild to the next:

- what rendering each page produced (HTML, table of contents, title, anchors,
  links, and the warnings it logged, which are logged again), reused while the
  page's source after the Markdown hooks, the snippet files it includes, the
  list of the site's files and mkdocs.yml are unchanged;
- each page's search entries, reused while everything Material's search reads
  from the page is unchanged: URL, title, metadata, table of contents, HTML;
- each page as the theme's template laid it out, reused while the page (HTML,
  table of contents, title, metadata, URLs, language twins), the navigation
  (every page's title, section and neighbours), mkdocs.yml and the theme
  overrides are unchanged: the page is then "laid out" by a template that
  writes that output back;
- the compiled theme templates, keyed by their source;
- the git tag of each commit, which the git-revision plugin otherwise looks up
  again for every page on every build (the site shows no tag).

Every other hook and plugin still runs on every page, so a rebuild gives the
site a full build gives (tests/site/test_serve_cache.py). Under ``mkdocs build`` this
hook does nothing.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority

SNIPPET = re.compile(r'--8<--\s+"([^"]+)"')
REUSE = "serve_cache/reuse.html"  # the template that writes a page's last layout back

serving = False
_site: tuple = ()  # mkdocs.yml and the list of the site's files
_rendered: dict[str, tuple] = {}  # src_uri -> (key, what rendering produced, warnings)
_indexed: dict[str, tuple] = {}  # url -> (key, search entries)
_laid_out: dict[str, tuple] = {}  # src_uri -> (key, the theme template's output)
_tags: dict[str, str] = {}  # commit -> git tag


def on_startup(command, dirty):
    global serving
    serving = command == "serve"


@event_priority(-200)  # after Material's search has made this build's index, and git-revision its helper
def on_config(config):
    if not serving:
        return config
    search = config.plugins.get("material/search")
    if search is not None and hasattr(search, "search_index"):
        search.search_index = _ReusedEntries(search.search_index)
    git = getattr(config.plugins.get("git-revision-date-localized"), "util", None)
    if hasattr(git, "tag_cache"):
        git.tag_cache = _tags
    return config


@event_priority(-200)  # after every hook and plugin that adds, wraps or moves files
def on_files(files, config):
    global _site
    if serving:
        _site = (Path(config.config_file_path).read_bytes(), tuple(sorted((f.src_uri, f.dest_uri) for f in files)))
    return files


# Rendering

@event_priority(-200)  # after mkdocs-jupyter has given notebook pages their own render
def on_pre_page(page, config, files):
    if not serving:
        return page
    render = page.render

    def reused_render(config, files):
        key = (_site, page.markdown, _snippets(page.markdown, config))
        last = _rendered.get(page.file.src_uri)
        if last and last[0] == key:
            _, produced, warnings = last
            for name, value in produced.items():
                if name == "links_to_anchors":  # keyed by File, and each build makes its own
                    value = {files.get_file_from_path(uri): links for uri, links in value.items()}
                setattr(page, name, value)
            for record in warnings:
                logging.getLogger(record.name).handle(record)
            return
        before = dict(vars(page))
        with _Recorder(logging.WARNING) as warnings:
            render(config, files)
        produced = {name: value for name, value in vars(page).items()
                    if name not in before or before[name] is not value}
        if produced.get("links_to_anchors"):
            produced["links_to_anchors"] = {f.src_uri: links for f, links in produced["links_to_anchors"].items()}
        _rendered[page.file.src_uri] = (key, produced, warnings)

    page.render = reused_render
    return page


def _snippets(markdown: str, config) -> tuple:
    """Each snippet file the page includes, with its modification time and size."""
    base = config["mdx_configs"]["pymdownx.snippets"]["base_path"]
    bases = [Path(b) for b in (base if isinstance(base, list) else [base])]
    found = []
    for name in SNIPPET.findall(markdown):
        path = next((b / name for b in bases if (b / name).is_file()), None)
        found.append((name, (path.stat().st_mtime_ns, path.stat().st_size) if path else None))
    return tuple(found)


class _Recorder(logging.Handler):
    """The records logged while it is active, at its level or above (mkdocs' own logger
    does not propagate to the root logger, so it listens to both)."""

    loggers = ("", "mkdocs")

    def __enter__(self):
        self.records = []
        for name in self.loggers:
            logging.getLogger(name).addHandler(self)
        return self.records

    def __exit__(self, *exc):
        for name in self.loggers:
            logging.getLogger(name).removeHandler(self)

    def emit(self, record):
        if record not in self.records:
            self.records.append(record)


# Search entries

class _ReusedEntries:
    """Material's search index, adding a page's entries from the last time it was indexed."""

    def __init__(self, index):
        self._index = index

    def __getattr__(self, name):
        return getattr(self._index, name)

    def add_entry_from_context(self, page):
        meta = {name: page.meta.get(name) for name in ("title", "tags", "search")}
        key = (page.title, repr(meta), _toc(page.toc), page.content)
        entries = self._index.entries
        last = _indexed.get(page.url)
        if last and last[0] == key:
            entries.extend(dict(entry) for entry in last[1])
            return
        start = len(entries)
        self._index.add_entry_from_context(page)
        _indexed[page.url] = (key, [dict(entry) for entry in entries[start:]])


def _toc(items) -> tuple:
    return tuple((item.id, item.url, item.title, item.level, _toc(item.children)) for item in items)


# Layout

def on_env(env, config, files):
    """Runs once every page is rendered, and before any is laid out."""
    if not serving:
        return env
    env.bytecode_cache = _compiled
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({REUSE: "{{ page.serve_cache_output }}"}), env.loader])
    pages = [f.page for f in files.documentation_pages() if f.page is not None and f.page.content is not None]
    overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    site = (_site, _stats(overrides) if overrides else (),
            tuple((p.url, p.title, _sections(p.parent), _url(p.previous_page), _url(p.next_page)) for p in pages))
    for page in pages:
        twins = tuple((language, twin.url) for language, twin in getattr(page.file, "alternates", {}).items())
        page.serve_cache_key = (site, page.title, page.content, _toc(page.toc), repr(page.meta), page.canonical_url,
                                page.edit_url, page.update_date, twins)
        last = _laid_out.get(page.file.src_uri)
        if last and last[0] == page.serve_cache_key:
            page.serve_cache_output = last[1]
            page.meta = {**page.meta, "template": REUSE}
    return env


@event_priority(100)  # first: the theme template's output, before any hook changes it
def on_post_page(output, page, config):
    key = getattr(page, "serve_cache_key", None)
    if serving and key is not None and getattr(page, "serve_cache_output", None) is None:
        _laid_out[page.file.src_uri] = (key, output)
    return output


def _stats(directory: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in directory.rglob("*") if p.is_file()))


def _sections(section) -> tuple:
    return (section.title, *_sections(section.parent)) if section is not None else ()


def _url(page):
    return page.url if page is not None else None


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, in memory, for environments with the same extensions."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        last = self.code.get((bucket.key, tuple(sorted(bucket.environment.extensions))))
        if last and last[0] == bucket.checksum:
            bucket.code = last[1]

    def dump_bytecode(self, bucket):
        self.code[(bucket.key, tuple(sorted(bucket.environment.extensions)))] = (bucket.checksum, bucket.code)


_compiled = _CompiledTemplates()
