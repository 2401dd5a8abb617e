"""Checks an answer to the exercise "Where does each request stop?" (The request path).

Usage: python3 check_admission_order.py my-admission-order.txt
Your file holds one "request: stage" line per request; # starts a comment.
"""

import sys

STAGES = ("authentication", "authorization", "mutating-admission", "validation",
          "validating-admission", "none")

# request -> (right stage, what to think about when the answer is wrong)
ANSWERS = {
    "1": ("authentication", "without credentials, and with anonymous access off, "
                            "the request never gets a user"),
    "2": ("authorization", "dev's RoleBinding covers team-a only, and RBAC never says yes "
                           "outside what it was given"),
    "3": ("none", "mutating admission runs before validating admission, so the validating "
                  "policy sees the label the mutating policy added"),
    "4": ("validation", "a Pod needs at least one container, and the Pod type's own validation "
                        "runs between the two admission phases"),
    "5": ("validating-admission", "the image rule is the cluster's policy, not part of what "
                                  "makes a Pod valid"),
    "6": ("none", "admission sees only requests that change something; reads are never admitted"),
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                request, _, stage = line.partition(":")
                answers[request.strip()] = stage.strip().lower()
    return answers


def main(path):
    answers = read_answers(path)
    problems = []
    for request, (right, hint) in ANSWERS.items():
        given = answers.get(request)
        if given is None:
            problems.append(f"request {request}: no answer")
        elif given not in STAGES:
            problems.append(f"request {request}: {given!r} is not a stage; use one of: "
                            + ", ".join(STAGES))
        elif given != right:
            problems.append(f"request {request}: not {given}; {hint}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
