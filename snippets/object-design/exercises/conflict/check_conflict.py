"""Self-check for the exercise "Two writers, one ConfigMap".

Usage: python3 check_conflict.py my-conflict.yaml
Prints PASS, or one line per wrong or missing answer; exits 0 on PASS, 1 otherwise.
"""

import sys

import yaml

# question: (expected answer, why)
ANSWERS = {
    "bob-put": (200, "Bob sent back resourceVersion 500, which was still current, so his update is accepted"),
    "alice-put": (409, "Alice also sent 500, but Bob's write replaced it: "
                       "the API server refuses an update based on an old version"),
    "alice-retry-keeps-bob": (True, "Alice read the object again before changing it, "
                                    "so the copy she writes back already holds Bob's change"),
    "alice-patch": (200, "a merge patch without a resourceVersion has no precondition: "
                         "the API server applies it to whatever version is current"),
    "alice-patch-keeps-bob": (True, "the patch names only data.level, so every other field stays as it is"),
    "bob-version-is-newer": (True, "since Kubernetes 1.35, resource versions of one resource type "
                                   "are integers that grow with every write"),
}


def problems(answers):
    if not isinstance(answers, dict):
        return ["the file must be a YAML mapping of question: answer"]
    found = []
    for question, (expected, why) in ANSWERS.items():
        answer = answers.get(question)
        if answer is None:
            found.append(f"{question}: no answer")
        elif answer != expected or type(answer) is not type(expected):
            found.append(f"{question}: not {answer!r}: {why}")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        answers = yaml.safe_load(file)
    found = problems(answers)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
