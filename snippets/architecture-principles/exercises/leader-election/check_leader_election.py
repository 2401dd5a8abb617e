"""Checks an answer to the exercise "What leader election promises" (Writing controllers).

Usage: python3 check_leader_election.py my-leader-election.txt
Your file holds one "statement: true" or "statement: false" line per statement;
# starts a comment.
"""

import sys

# statement -> (right answer, what to think about when the answer is wrong)
ANSWERS = {
    "1": ("false", "leader election does not fence: a frozen leader does not know it has lost "
                   "the Lease and may still act when it wakes up"),
    "2": ("true", "with the defaults, the others wait until the Lease has gone unrenewed for "
                  "the lease duration, 15 seconds"),
    "3": ("true", "nothing tells a frozen process that time has passed until it looks"),
    "4": ("true", "the API server compares the resourceVersion with the object's current one, "
                  "whoever sends the write"),
    "5": ("false", "each instance measures the Lease's age with its own clock, from when it saw "
                   "the last change; offsets between machines do not matter"),
    "6": ("true", "two active copies both see the same missing replica and both act on it"),
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                statement, _, answer = line.partition(":")
                answers[statement.strip()] = answer.strip().lower()
    return answers


def main(path):
    answers = read_answers(path)
    problems = []
    for statement, (right, hint) in ANSWERS.items():
        given = answers.get(statement)
        if given not in ("true", "false"):
            problems.append(f"statement {statement}: answer true or false")
        elif given != right:
            problems.append(f"statement {statement}: not {given}; {hint}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
