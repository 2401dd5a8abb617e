"""What every bash checker of an exercise shares (snippets/**/exercises/*/check-*.sh)."""

from __future__ import annotations

from code_blocks import ROOT
from exercises import BOUNDED


def test_checkers_share_one_bounded():
    """Each checker that bounds a command with ``bounded`` has the same copy of it, the one the
    pages' Ctrl-C tests prove (``exercises.assert_stops_on_ctrl_c_while_the_script_hangs``)."""
    copies = {path.relative_to(ROOT).as_posix(): BOUNDED.search(path.read_text()).group(0)
              for path in sorted((ROOT / "snippets").rglob("check-*.sh")) if "bounded " in path.read_text()}
    assert len(copies) > 1
    first = next(iter(copies.values()))
    assert [name for name, copy in copies.items() if copy != first] == []
