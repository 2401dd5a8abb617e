"""Checks an answer to the exercise "Allowed or denied?" (Authentication and authorization).

Usage: python3 check_who_can.py my-who-can.txt
Your file holds one "question: answer" line per question (allowed or denied); # starts a comment.
"""

import sys

# question -> (right answer, why, for a wrong answer)
ANSWERS = {
    "1": ("allowed", "the role may read every key under /app/"),
    "2": ("denied", "the role may write /app/status and nothing else"),
    "3": ("allowed", "the role may write exactly this key"),
    "4": ("allowed", "a delete needs write permission, and the role may write /app/status"),
    "5": ("denied", "the prefix /app also covers keys such as /apple, and a range read needs permission "
                    "for the whole range"),
    "6": ("denied", "a watch needs read permission on its whole range, and she may read only under /app/"),
    "7": ("denied", "permissions are checked on every request, so a revoked role stops working at once, "
                    "token or not"),
}


def valid(answer):
    return answer in ("allowed", "denied")


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
            problems.append(f"question {question}: answer allowed or denied")
        elif given != right:
            problems.append(f"question {question}: {right}, not {given}: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
