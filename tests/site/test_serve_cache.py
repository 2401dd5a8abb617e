"""hooks/serve_cache.py: under mkdocs serve, a rebuild renders, indexes and lays out only the
pages an edit changed, and still gives the site a full build gives. Shown on a small Material
site that uses the hook, rebuilt the way mkdocs serve rebuilds (one process, config reloaded)."""

import filecmp
import json
import os
import subprocess
import sys
import textwrap

from code_blocks import ROOT

CONFIG = textwrap.dedent(f"""\
    site_name: serve cache
    theme: material
    hooks: [{ROOT / "hooks" / "serve_cache.py"}]
    plugins: [search]
    markdown_extensions:
      - attr_list
      - toc
      - pymdownx.superfences
      - pymdownx.snippets:
          base_path: snippets
          check_paths: true
    validation:
      links:
        anchors: warn
""")

PAGES = {
    "docs/index.md": "# Home\n\nSee [part one](a.md).\n",
    "docs/a.md": "# A\n\nSee [the step](b.md#step) and [a page](missing.md).\n",
    "docs/b.md": "# B\n\n## Step {#step}\n\n```shell\n--8<-- \"hello.sh\"\n```\n",
    "snippets/hello.sh": "echo hello\n",
}

# Builds once, then rebuilds after each edit; prints, per rebuild, the pages rendered, indexed
# and laid out by the theme's template (a reused page is none of these) and the warnings logged.
DRIVER = textwrap.dedent("""\
    import json, logging, sys
    from pathlib import Path
    from material.plugins.search.plugin import SearchIndex
    import mkdocs.commands.build
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    rendered, indexed, laid_out, warnings = [], [], [], []
    render, index = Page.render, SearchIndex.add_entry_from_context
    Page.render = lambda page, *a: (rendered.append(page.file.src_uri), render(page, *a))[1]
    SearchIndex.add_entry_from_context = lambda self, page: (indexed.append(page.file.src_uri), index(self, page))[1]
    build_page = mkdocs.commands.build._build_page
    def lay_out(page, *args, **kwargs):
        if "template" not in page.meta:  # the hook gives a reused page its own template
            laid_out.append(page.file.src_uri)
        return build_page(page, *args, **kwargs)
    mkdocs.commands.build._build_page = lay_out
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage())
    logging.getLogger("mkdocs").addHandler(handler)

    command, edits = sys.argv[1], json.loads(sys.argv[2])
    def edit(path, old, new):
        text = Path(path).read_text()
        Path(path).write_text(text.replace(old, new) if old else text + new)
    if command == "build":
        for change in edits:
            edit(*change)
    config = load_config()
    config.plugins.on_startup(command=command, dirty=False)
    build(config)
    rebuilds = []
    for change in edits if command == "serve" else []:
        edit(*change)
        rendered.clear(), indexed.clear(), laid_out.clear(), warnings.clear()
        build(load_config())
        rebuilds.append({"rendered": sorted(rendered), "indexed": sorted(indexed), "laid out": sorted(laid_out),
                         "warnings": list(warnings)})
    print(json.dumps(rebuilds))
""")


def site(directory, command: str, edits: list) -> list[dict]:
    (directory / "docs").mkdir(parents=True)
    (directory / "snippets").mkdir()
    (directory / "mkdocs.yml").write_text(CONFIG)
    for path, text in PAGES.items():
        (directory / path).write_text(text)
    run = subprocess.run([sys.executable, "-c", DRIVER, command, json.dumps(edits)], cwd=directory,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def differing_files(left, right) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [str(left / name) for name in comparison.left_only + comparison.right_only]
    found += [str(left / name) for name in filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)[1]]
    for name in comparison.common_dirs:
        found += differing_files(left / name, right / name)
    return found


def test_rebuild_reuses_unchanged_pages_and_matches_a_full_build(tmp_path):
    edits = [
        ["docs/a.md", "", "\nOne more line.\n"],
        ["snippets/hello.sh", "", "echo again\n"],
        ["docs/b.md", "{#step}", "{#first-step}"],
        ["docs/b.md", "# B\n", "# Part B\n"],
    ]
    rebuilds = site(tmp_path / "served", "serve", edits)
    site(tmp_path / "built", "build", edits)

    assert [(r["rendered"], r["indexed"], r["laid out"]) for r in rebuilds] == [
        (["a.md"], ["a.md"], ["a.md"]),
        (["b.md"], ["b.md"], ["b.md"]),  # the page that includes the snippet
        (["b.md"], ["b.md"], ["b.md"]),
        (["b.md"], ["b.md"], ["a.md", "b.md", "index.md"]),  # a new title in every page's navigation
    ]
    broken_link = "Doc file 'a.md' contains a link 'missing.md'"
    broken_anchor = "Doc file 'a.md' contains a link 'b.md#step', but the doc 'b.md' does not contain an anchor"
    # a.md's rendering warned: the warning is logged on every rebuild, also when a.md is reused.
    assert [any(broken_link in w for w in r["warnings"]) for r in rebuilds] == [True, True, True, True]
    assert [any(broken_anchor in w for w in r["warnings"]) for r in rebuilds] == [False, False, True, True]
    assert differing_files(tmp_path / "served" / "site", tmp_path / "built" / "site") == []
