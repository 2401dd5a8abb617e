"""Checks an answer to the exercise "Which Pods does the ReplicaSet claim?" (Writing controllers).

Usage: python3 check_adoption.py my-adoption.txt
Your file holds one "question: answer" line per question, Pod names separated by commas;
# starts a comment.
"""

import sys

# question -> (right answer, what to think about when the answer is wrong)
ANSWERS = {
    "adopts": ({"stray", "helper"}, "adopt an orphan that matches the selector unless one of "
                                    "the two is being deleted; an owner reference without "
                                    "controller: true does not make a Pod any less an orphan"),
    "releases": ({"web-c"}, "release a Pod you control that no longer matches the selector"),
    "counts": ("4", "count the Pods the ReplicaSet controls once it has adopted and released"),
    "creates": ("0", "compare the Pods it controls with spec.replicas"),
    "deletes": ("1", "compare the Pods it controls with spec.replicas"),
}
PODS = {"web-a", "web-b", "web-c", "stray", "legacy", "helper", "leaving"}
# Pods that are wrong in the "adopts" answer, and why.
NOT_ADOPTED = {
    "legacy": "legacy already has a controller (ReplicaSet web-old); a controller never takes "
              "objects that another one controls",
    "leaving": "leaving is being deleted; controllers do not adopt objects that are going away",
    "web-a": "web-a is already controlled by this ReplicaSet: there is nothing to adopt",
    "web-b": "web-b is already controlled by this ReplicaSet: there is nothing to adopt",
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                question, _, answer = line.partition(":")
                answers[question.strip()] = answer.strip()
    return answers


def names(answer):
    return {name.strip() for name in answer.split(",") if name.strip() not in ("", "none", "-")}


def main(path):
    answers = read_answers(path)
    problems = []
    for question, (right, hint) in ANSWERS.items():
        if question not in answers:
            problems.append(f"{question}: no answer")
            continue
        if isinstance(right, set):
            given = names(answers[question])
            unknown = given - PODS
            if unknown:
                problems.append(f"{question}: no Pod is named {', '.join(sorted(unknown))}")
            wrong = sorted(given & NOT_ADOPTED.keys()) if question == "adopts" else []
            problems += [f"adopts: {NOT_ADOPTED[name]}" for name in wrong]
            if given != right and not unknown and not wrong:
                problems.append(f"{question}: not {', '.join(sorted(given)) or 'none'}; {hint}")
        elif answers[question] != right:
            problems.append(f"{question}: not {answers[question]}; {hint}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
