"""Checks an answer to the exercise "What does each read return?" (Reads, watches and resourceVersion).

Usage: python3 check_read_semantics.py my-read-semantics.txt
Your file holds one "question: answer" line per question; # starts a comment.
"""

import sys

# question -> (right answer, what to think about when the answer is wrong)
ANSWERS = {
    "1-sees-alice": ("yes", "a read without resourceVersion is a consistent read: it includes "
                            "every write that completed before it"),
    "2-sure-to-see-alice": ("no", 'resourceVersion "0" accepts whatever the server has, '
                                  "however old"),
    "3": ("200", "not older than 120 is satisfied by the state that includes Alice's write"),
    "4": ("410", "an exact read needs that revision, and nothing keeps it any more"),
    "5": ("422", "Exact needs a real resourceVersion; the server refuses the combination "
                 "as invalid list options"),
    "6": ("422", "resourceVersionMatch means nothing without a resourceVersion; the server "
                 "refuses it as invalid list options"),
    "7": ("410", "the events after 110 are kept neither by etcd nor by the watch cache, "
                 "so the client has to list again"),
    "8-bookmark-has-object-data": ("no", "a bookmark only moves the client's resourceVersion forward"),
    "9": ("k8s.io/initial-events-end", "look for the annotation on the bookmark that ends "
                                       "the initial events"),
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                question, _, answer = line.partition(":")
                answers[question.strip()] = answer.strip().strip("\"'").lower()
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
