"""Checks an answer to the exercise "Pick the extension point" (Extension points).

Usage: python3 check_extension_point.py my-extension-points.txt
Your file holds one "need: extension point" line per need; # starts a comment.
"""

import sys

POINTS = ("crd", "aggregation", "admission-policy", "admission-webhook", "authorization-webhook",
          "scheduler-plugin", "cri", "cni", "csi", "dra")

# need -> (right extension point, what to think about when the answer is wrong)
ANSWERS = {
    "1": ("crd", "the objects are stored like any other and a controller acts on them"),
    "2": ("aggregation", "the values are computed when asked for and never stored, so the API "
                         "server has to hand those requests to another server"),
    "3": ("admission-policy", "copying a value from the namespace onto the Pod is one expression, "
                              "and no extra service may run"),
    "4": ("admission-webhook", "the decision needs another system's answer, which a CEL "
                               "expression cannot fetch"),
    "5": ("scheduler-plugin", "holding Pods back until all of them fit is a scheduling decision"),
    "6": ("cri", "how containers are run is the container runtime's business"),
    "7": ("cni", "Pod addresses and routes are set up by the network plugin"),
    "8": ("csi", "creating and mounting volumes is a storage driver's job"),
    "9": ("dra", "a count of devices cannot say how much memory each one has"),
    "10": ("authorization-webhook", "who may do what is authorization, before the body is looked at"),
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                need, _, point = line.partition(":")
                answers[need.strip()] = point.strip().lower()
    return answers


def main(path):
    answers = read_answers(path)
    problems = []
    for need, (right, hint) in ANSWERS.items():
        given = answers.get(need)
        if given is None:
            problems.append(f"need {need}: no answer")
        elif given not in POINTS:
            problems.append(f"need {need}: {given!r} is not one of: " + ", ".join(POINTS))
        elif given != right:
            problems.append(f"need {need}: not {given}; {hint}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
