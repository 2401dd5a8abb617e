"""Checks an answer to the exercise "After a restart" (Installing etcd).

Usage: python3 check_restart.py my-restart.txt
Your file holds one "question: answer" line per question (yes or no); # starts a comment.
"""

import sys

# question -> (right answer, why, for a wrong answer)
ANSWERS = {
    "1": ("yes", "the data directory survives a stop, and the member starts again from it"),
    "2": ("yes", "with data in its data directory, etcd reuses the member ID stored there"),
    "3": ("yes", "etcd answers OK only once the write is in its write-ahead log on disk, and a restart"
                 " replays that log"),
    "4": ("no", "once the data directory holds data, etcd ignores --initial-cluster-token and the "
                "other flags that only matter the first time"),
    "5": ("no", "the data lives only in the data directory: without it, etcd starts a new, empty "
                "member"),
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
