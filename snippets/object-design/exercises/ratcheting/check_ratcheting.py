"""Self-check for the exercise "Which updates pass after the schema tightened?".

Usage: python3 check_ratcheting.py my-ratcheting.yaml
Prints PASS, or one line per wrong or missing answer; exits 0 on PASS, 1 otherwise.
"""

import sys

import yaml

# request: (expected answer, why)
ANSWERS = {
    "label": ("accepted", "the update leaves spec.schedule as it was, so its new maxLength error is ratcheted"),
    "retention": ("accepted", "only retentionSeconds changed, and it is valid; "
                              "the unchanged, too long schedule is ratcheted"),
    "schedule": ("rejected", "schedule itself changed, so the new value must pass maxLength: 32"),
    "copy": ("rejected", "ratcheting applies to updates only: a new object must pass every rule"),
    "after-required": ("rejected", "errors from a changed list of required fields are never ratcheted"),
}


def problems(answers):
    if not isinstance(answers, dict):
        return ["the file must be a YAML mapping of request: accepted or rejected"]
    found = []
    for request, (expected, why) in ANSWERS.items():
        answer = answers.get(request)
        if answer is None:
            found.append(f"{request}: no answer")
        elif answer not in ("accepted", "rejected"):
            found.append(f"{request}: answer accepted or rejected, not {answer!r}")
        elif answer != expected:
            found.append(f"{request}: not {answer}: {why}")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        answers = yaml.safe_load(file)
    found = problems(answers)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
