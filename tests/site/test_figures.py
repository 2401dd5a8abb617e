"""The figures in imgs/ are up to date with imgs/src/figures.py, self-contained, and used."""

import importlib.util
import re
import xml.etree.ElementTree as ET

import pytest

from code_blocks import DOCS, ROOT

IMGS = ROOT / "imgs"
SPEC = importlib.util.spec_from_file_location("figures", IMGS / "src" / "figures.py")
figures = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(figures)

VARIANTS = [(name, lang) for name in figures.FIGURES for lang in figures.LANGS]


@pytest.mark.parametrize("name, lang", VARIANTS, ids=[f"{name}.{lang}" for name, lang in VARIANTS])
def test_svg_is_generated_from_current_source(name, lang):
    svg = IMGS / f"{name}.{lang}.svg"
    assert svg.is_file(), f"{svg.relative_to(ROOT)} is missing: run make figures"
    stamp = re.search(r'<svg data-source="([0-9a-f]+)"', svg.read_text(encoding="utf-8"))
    assert stamp and stamp.group(1) == figures.source_digest(name, lang), (
        f"{svg.relative_to(ROOT)} is older than imgs/src/figures.py: run make figures"
    )


@pytest.mark.parametrize("name, lang", VARIANTS, ids=[f"{name}.{lang}" for name, lang in VARIANTS])
def test_svg_is_self_contained(name, lang):
    text = (IMGS / f"{name}.{lang}.svg").read_text(encoding="utf-8")
    ET.fromstring(text.encode("utf-8"))  # well-formed
    external = [u for u in re.findall(r'(?:href|src)="([^"#][^"]*)"', text)]
    assert not external and "@font-face" not in text and "@import" not in text, external
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", text), "the zh variant has no Chinese label"


@pytest.mark.parametrize("lang", figures.LANGS)
def test_every_figure_is_shown_in_its_language(lang):
    shown = set()
    for page in (DOCS / lang).rglob("*.md"):
        shown.update(re.findall(r"imgs/([\w-]+)\." + lang + r"\.svg", page.read_text(encoding="utf-8")))
    assert shown == set(figures.FIGURES), f"figures not shown in docs/{lang}: {set(figures.FIGURES) - shown}"
