"""Checks an answer to the exercise "Which event comes first?" (The watch mechanism).

Usage: python3 check_compaction.py my-compaction.txt
Your file holds one "question: answer" line per question (a revision, none or compacted); # starts a comment.
"""

import sys

# question -> (right answer, why, for a wrong answer)
ANSWERS = {
    "1": ("none", "without --rev, a watch starts after the current revision and sees only later writes"),
    "2": ("12", "a watch from a past revision first replays the writes made at or after it"),
    "3": ("12", "nothing was written at 11, so the first write it replays is the one at 12"),
    "4": ("compacted", "the revisions before the compaction at 10 are gone, so etcd cancels the watch and "
                       "reports compact_revision 10"),
    "5": ("12", "a compaction at 10 removes only older revisions, so a watch from 10 works, and the "
                "first write from 10 on is at 12"),
    "6": ("8", "a compaction keeps the newest version of each key at or before its revision, and for"
               " k that is the write at 8"),
}


def valid(answer):
    return answer in ("none", "compacted") or (answer or "").isdigit()


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
            problems.append(f"question {question}: answer a revision, none or compacted")
        elif given != right:
            problems.append(f"question {question}: {right}, not {given}: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
