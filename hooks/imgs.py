"""Publish the top-level ``imgs/`` folder at ``/imgs/`` in the built site.

Figures live outside ``docs/`` so that one file (and its source in ``imgs/src/``)
serves both languages without copies or symlinks.  A page links to a figure as
if ``imgs/`` sat inside ``docs/``: ``![…](../imgs/kubernetes.zh.svg)`` from
``docs/zh/components.md``.
"""

from pathlib import Path

from mkdocs.structure.files import File, Files

PUBLISHED_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}


def on_files(files: Files, config) -> Files:
    imgs_dir = Path(config.config_file_path).parent / "imgs"
    for path in sorted(imgs_dir.glob("*")):
        if path.suffix.lower() not in PUBLISHED_SUFFIXES:
            continue
        src_uri = f"imgs/{path.name}"
        if files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    return files
