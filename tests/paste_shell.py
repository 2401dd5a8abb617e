"""Paste a snippet into an interactive bash, as a reader with a copy button does.

A reader pastes blocks into one terminal, so whatever a block leaves behind in
that shell (``set -e``, a trap, an exported variable, a changed directory, a
background job) affects every later block, and with ``set -e`` the next
failing command closes the terminal. :func:`paste` feeds a snippet to
``bash -i`` between two snapshots of the shell's state and then runs a failing
command, so a test can assert that the shell is the same afterwards and still
alive.
"""

from __future__ import annotations

import difflib
import subprocess
from dataclasses import dataclass
from pathlib import Path

# What a pasted block could change in the shell that runs it.
_DUMP_STATE = r"""{{
  echo "flags: $-"; set -o; shopt -p; trap -p; export -p; declare -F
  echo "cwd: $PWD"; echo "jobs: $(jobs -p | wc -l)"
}} >{path}"""


@dataclass
class Pasted:
    before: str      # the shell's state just before the paste
    after: str       # and just after it
    status: str      # $? after the paste: the exit status of its last command
    output: str      # what the shell printed: prompts, echoed input, the snippet's output
    survived: bool   # the shell ran a failing command after the paste and carried on


def paste(text: str, *, cwd: Path, env: dict[str, str], timeout: float) -> Pasted:
    """Paste ``text`` into a fresh interactive bash started in ``cwd``."""
    state = cwd / ".paste-state"
    state.mkdir()
    script = "\n".join([
        _DUMP_STATE.format(path=state / "before"),
        text.rstrip("\n"),
        f'echo "$?" >{state / "status"}',
        _DUMP_STATE.format(path=state / "after"),
        "false",
        f": >{state / 'survived'}",
        "",
    ])
    run = subprocess.run(
        ["bash", "--norc", "--noprofile", "-i"],
        input=script, cwd=cwd, env=env, text=True, timeout=timeout,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,  # no terminal: bash -i must not take over pytest's
    )
    return Pasted(
        before=(state / "before").read_text(),
        after=(state / "after").read_text() if (state / "after").exists() else "",
        status=(state / "status").read_text().strip() if (state / "status").exists() else "",
        output=run.stdout,
        survived=(state / "survived").exists(),
    )


def assert_unchanged(pasted: Pasted) -> None:
    """The paste left the shell as it found it, and the shell outlived a failing command."""
    assert pasted.after, f"the shell did not get past the pasted block:\n{pasted.output}"
    if pasted.after != pasted.before:
        diff = "".join(difflib.unified_diff(
            pasted.before.splitlines(True), pasted.after.splitlines(True), "before", "after"))
        raise AssertionError(f"the pasted block changed the shell:\n{diff}")
    assert pasted.survived, f"a failing command after the paste ended the shell:\n{pasted.output}"
