"""Checks an answer to the exercise "A controller catches up" (Architecture principles).

Usage: python3 check_catch_up.py my-catch-up.txt
Your file holds one "question: answer" line per question; # starts a comment.
"""

import sys

# question -> (right answer, what to think about when the answer is wrong)
ANSWERS = {
    "pods-created": ("3", "count the Pods left after the deletions and compare them with the "
                          "replica count the ReplicaSet has now"),
    "runs-5-pods-on-the-way": ("no", "the controller only ever sees the latest spec; "
                                     "the value 5 was gone before it came back"),
    "needs-the-missed-events": ("no", "it lists the current state when it starts; "
                                      "the events in between carry nothing it needs"),
    "compaction-makes-it-wrong": ("no", "compaction only removes old history; "
                                        "the current state is still there to list"),
}


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
    for question, (right, hint) in ANSWERS.items():
        if question not in answers:
            problems.append(f"{question}: no answer")
        elif answers[question] != right:
            problems.append(f"{question}: not {answers[question]}; {hint}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
