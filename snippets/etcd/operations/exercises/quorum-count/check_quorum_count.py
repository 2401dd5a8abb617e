"""Checks an answer to the exercise "Who counts towards the quorum?" (Membership and maintenance).

Usage: python3 check_quorum_count.py my-quorum-count.txt
Your file holds one "case: yes" or "case: no" line per case (yes: the cluster can still commit writes);
# starts a comment.
"""

import sys

# case -> (right answer, why)
ANSWERS = {
    "1": ("no", "a learner does not vote: 1 of the 3 voters is running, and a majority of 3 is 2"),
    "2": ("no", "m4 is a voter from the moment member add is accepted, running or not: "
                "2 of 4 voters are running, and a majority of 4 is 3"),
    "3": ("yes", "a learner is not counted: 2 of the 3 voters are running, a majority"),
    "4": ("no", "a majority of 4 voters is 3: 2 running voters are only half"),
    "5": ("yes", "2 of the 3 voters are running, a majority; the learner does not count either way"),
    "6": ("yes", "3 of the 5 voters are running, a majority"),
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                case, _, answer = line.partition(":")
                answers[case.strip()] = answer.strip().lower()
    return answers


def main(path):
    answers = read_answers(path)
    problems = []
    for case, (right, why) in ANSWERS.items():
        given = answers.get(case)
        if given not in ("yes", "no"):
            problems.append(f"case {case}: answer yes or no")
        elif given != right:
            outcome = "writes succeed" if right == "yes" else "writes fail"
            problems.append(f"case {case}: {outcome}: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
