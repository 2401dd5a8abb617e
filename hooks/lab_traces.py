"""Publish the traces the lab tests record, ``snippets/**/<lab>.trace.json``, under
``/assets/traces/`` in the built site.

A trace lives next to its lab's shown output (tests/raft_trace.py writes both from
one run), and the replay on the Raft page (``javascripts/member-view.js``) fetches
it from ``assets/traces/<same path>``, for both languages.
"""

from pathlib import Path

from mkdocs.structure.files import File, Files


def on_files(files: Files, config) -> Files:
    snippets = Path(config.config_file_path).parent / "snippets"
    for path in sorted(snippets.rglob("*.trace.json")):
        src_uri = f"assets/traces/{path.relative_to(snippets).as_posix()}"
        if files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    return files
