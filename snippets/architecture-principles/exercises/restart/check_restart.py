"""Checks an answer to the exercise "What the restarted controller prints" (Architecture principles).

Usage: python3 check_restart.py my-restart.txt
Your file holds the lines the toy controller prints after the restart, up to and
without its "watching ..." line; a "controller | " prefix is allowed.
"""

import sys

# The state when the controller stops: it has just reconciled, so actual == desired.
desired = {"api": "app:1", "db": "postgres:16"}
actual = dict(desired)

# What happens while it is down, in this order.
desired["cache"] = "redis:7"   # etcdctl put /desired/cache redis:7
del desired["cache"]           # etcdctl del /desired/cache
desired["api"] = "app:2"       # etcdctl put /desired/api app:2
desired["api"] = "app:3"       # etcdctl put /desired/api app:3
actual["db"] = "postgres:15"   # etcdctl put /actual/db postgres:15
actual["tmp"] = "x"            # etcdctl put /actual/tmp x


def reconcile(desired, actual):
    """The lines toy_controller.py prints for one reconcile of these two states."""
    lines = []
    for name in sorted(desired.keys() | actual.keys()):
        want, have = desired.get(name), actual.get(name)
        if want == have:
            continue
        lines.append(f"delete /actual/{name}" if want is None else f"put /actual/{name} = {want}")
    count = len(lines)
    lines.append(f"reconciled: {count} change(s)" if count else "in sync: nothing to do")
    return lines


def main(path):
    with open(path, encoding="utf-8") as file:
        lines = [line.strip() for line in file]
    # Blank lines and # comments don't count; the demo's "controller | " prefix may stay.
    given = [line.removeprefix("controller |").strip() for line in lines
             if line and not line.startswith("#")]
    expected = reconcile(desired, actual)
    problems = []
    if any(line.startswith("event:") for line in given):
        problems.append("there are event lines: at startup the controller reads the current state, "
                        "it receives no events for what happened while it was down")
    if any("cache" in line for line in given):
        problems.append("/desired/cache was created and deleted while the controller was down: "
                        "it never sees that key")
    if "put /actual/api = app:2" in given:
        problems.append("app:2 was already replaced when the controller started: "
                        "only the latest desired value counts")
    for line in expected:
        if line not in given and not (line.startswith("reconciled") and problems):
            problems.append(f"missing line: {line}")
    if not problems and given != expected:
        problems.append("the right lines, in the wrong order or with extra lines: the controller "
                        "walks the names in sorted order and prints each change once")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
