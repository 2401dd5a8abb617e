"""Checks an answer to the exercise "How many can fail?" (Raft consensus).

Usage: python3 check_quorum.py my-quorum.txt
Your file holds one "question: answer" line per question (yes or no); # starts a comment.
"""

import sys

# question -> (right answer, why, for a wrong answer)
ANSWERS = {
    "1": ("yes", "2 of 3 members are a majority"),
    "2": ("no", "a linearizable read needs a leader that a majority confirms, and 1 of 3 is not a "
                "majority"),
    "3": ("no", "2 of 4 is not a majority: 4 members tolerate 1 failure, no more than 3 do"),
    "4": ("yes", "3 of 5 members are a majority"),
    "5": ("no", "1 of 2 is not a majority: 2 members tolerate no failure at all"),
    "6": ("yes", "the two are a majority: if the cut-off member was the leader, they elect a new one"),
}


def valid(answer):
    return answer in ("yes", "no")


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                question, _, answer = line.partition(":")
                answers[question.strip()] = answer.strip().lower()
    return answers


def main(path):
    answers = read_answers(path)
    problems = []
    for question, (right, why) in ANSWERS.items():
        given = answers.get(question)
        if not valid(given):
            problems.append(f"question {question}: answer yes or no")
        elif given != right:
            problems.append(f"question {question}: {right}, not {given}: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
