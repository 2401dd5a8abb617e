"""Notebook pages carry only the JupyterLab CSS they use, in their head.

mkdocs-jupyter writes the whole JupyterLab stylesheet (about 590 KB: every
widget, every editor theme, hundreds of colour variables) into the body of each
notebook page. In the body it applies late and shifts the layout; its size
alone made a notebook page three times heavier than any other page and held up
its first paint on slow connections.

This hook keeps the rules whose selectors can match the page (every class they
name occurs in it), the custom properties those rules use (transitively), and
the keyframes they animate with; then it puts that one stylesheet in the head.
tests/site/test_browser.py checks that every notebook element keeps the computed
style the full stylesheet gives it.
"""

import functools
import re

import tinycss2
from mkdocs_jupyter.plugin import NotebookFile

STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
ROOT_BELOW_ANOTHER = re.compile(r"\S\s*[ >+~]\s*:root")  # ".jupyter-wrapper :root" matches nothing
VAR = re.compile(r"var\(\s*(--[\w-]+)")
KEYFRAMES_NAME = re.compile(r"keyframes\s+([\w-]+)")


def on_post_page(output, page, config):
    if not isinstance(page.file, NotebookFile):
        return output
    return with_styles_in_head(output)


@functools.lru_cache(maxsize=4)  # mkdocs serve lays out an unchanged notebook page again on every rebuild
def with_styles_in_head(output: str) -> str:
    head, body = output.split("</head>", 1)
    classes = {name for value in CLASS_ATTRIBUTE.findall(output) for name in value.split()}
    css = used_css("\n".join(STYLE.findall(body)), frozenset(classes))
    return f'{head}<style data-notebook-styles>{css}</style></head>{STYLE.sub("", body)}'


@functools.lru_cache(maxsize=8)  # the notebook twins share their stylesheet and classes: parse once
def used_css(css: str, classes: frozenset[str]) -> str:
    """The part of ``css`` that can apply to a page whose elements carry ``classes``."""
    rules = _matching_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), classes)
    declarations = list(_declarations(rules))
    custom = {}
    for declaration in declarations:
        if declaration.name.startswith("--"):
            custom.setdefault(declaration.name, []).append(declaration)
    needed: set[str] = set()
    pending = {name for d in declarations if not d.name.startswith("--") for name in VAR.findall(_value(d))}
    while pending:
        name = pending.pop()
        needed.add(name)
        pending |= {ref for d in custom.get(name, []) for ref in VAR.findall(_value(d))} - needed
    animations = " ".join(_value(d) for d in declarations if d.name in ("animation", "animation-name"))
    return _render(rules, needed, animations)


def _matching_rules(rules, classes: frozenset[str]) -> list:
    """[(selector, declarations) | (at-rule prelude, nested rules) | (None, keyframes text)]"""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = []
            for tokens in _selectors(rule.prelude):
                text = tinycss2.serialize(tokens).strip()
                if _classes(tokens) <= classes and not ROOT_BELOW_ANOTHER.search(text):
                    selectors.append(text)
            if selectors:
                body = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                kept.append((",".join(selectors), [d for d in body if d.type == "declaration"]))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            nested = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            inner = _matching_rules(nested, classes)
            if inner:
                kept.append((f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}", inner))
        elif rule.type == "at-rule" and rule.lower_at_keyword.endswith("keyframes"):
            kept.append((None, tinycss2.serialize([rule])))
        # Other at-rules (in JupyterLab's CSS, only @charset) and parse errors are dropped.
    return kept


def _selectors(prelude) -> list[list]:
    """A selector list split at its top-level commas (not those inside ``:is(…)``)."""
    selectors = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _classes(selector: list) -> set[str]:
    """Classes an element must carry to match: those outside ``:is()``, ``:not()``, … ."""
    return {name.value for dot, name in zip(selector, selector[1:])
            if dot.type == "literal" and dot.value == "." and name.type == "ident"}


def _declarations(rules):
    for prelude, body in rules:
        if prelude is None:
            continue
        if prelude.startswith("@"):
            yield from _declarations(body)
        else:
            yield from body


def _value(declaration) -> str:
    return tinycss2.serialize(declaration.value).strip()


def _render(rules, needed: set[str], animations: str) -> str:
    out = []
    for prelude, body in rules:
        if prelude is None:
            name = KEYFRAMES_NAME.search(body)
            if name and name.group(1) in animations:
                out.append(body)
        elif prelude.startswith("@"):
            inner = _render(body, needed, animations)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        else:
            kept = [f"{d.name}:{_value(d)}{'!important' if d.important else ''}"
                    for d in body if not d.name.startswith("--") or d.name in needed]
            if kept:
                out.append(f"{prelude}{{{';'.join(kept)}}}")
    return "\n".join(out)
