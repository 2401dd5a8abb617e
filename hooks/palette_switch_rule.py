"""Drop Material's rule that freezes transitions while the colour palette switches.

Material's palette stylesheet sets ``transition-duration: 0s`` on every element
under ``body[data-md-color-switching]``, and Material sets and clears that
attribute once on every page load, not only when a reader switches palettes.
With a ``*`` selector behind it, each change restyles the whole page: two full
style recalculations in the start-up work a phone does before the page responds.
Without the rule, a reader who switches palettes sees colours ease over
Material's short transitions instead of jumping.

If a new Material release changes the rule, the build stops here: check
whether the cost is still there before updating or removing this hook.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError

STYLESHEETS = "assets/stylesheets"
PALETTE_SHEET = f"{STYLESHEETS}/palette.*.min.css"
SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)


def on_post_build(config) -> None:
    # Rewritten from the theme's own copy, so a rebuild that did not copy it again
    # (mkdocs serve --dirty) still finds the rule to drop.
    sheets = [sheet for theme_dir in config.theme.dirs for sheet in Path(theme_dir).glob(PALETTE_SHEET)]
    if len(sheets) != 1:
        raise PluginError(f"hooks/palette_switch_rule.py: expected one Material {PALETTE_SHEET}, found {sheets}")
    css = sheets[0].read_text(encoding="utf-8")
    if SWITCHING_RULE not in css:
        raise PluginError(f"hooks/palette_switch_rule.py: {sheets[0]} no longer holds the rule it drops")
    built = Path(config.site_dir, STYLESHEETS, sheets[0].name)
    built.write_text(css.replace(SWITCHING_RULE, ""), encoding="utf-8")
