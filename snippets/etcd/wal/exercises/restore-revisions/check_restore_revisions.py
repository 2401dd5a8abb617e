"""Checks an answer to the exercise "Count the revisions" (The WAL and snapshots).

Usage: python3 check_restore_revisions.py my-restore-revisions.txt
Your file holds one "question: answer" line per question (a number or a word); # starts a comment.
"""

import sys

# question -> (right answer, why, for a wrong answer)
ANSWERS = {
    "1": ("100", "a restore brings back the data as it was in the snapshot, at the snapshot's revision"),
    "2": ("101", "the revision goes on from the restored 100, so revisions 101 to 150 are used a "
                 "second time"),
    "3": ("50", "it asks for revisions from 151 on, so it never sees the 50 new writes that reuse 101"
                " to 150"),
    "4": ("1100", "--bump-revision adds to the snapshot's revision: 100 + 1000"),
    "5": ("1101", "the revision goes on from the bumped 1100"),
    "6": ("compacted", "151 is below the compaction that --mark-compacted puts at 1100, so etcd cancels the "
                       "watch and the client reads everything again"),
}


def valid(answer):
    return bool(answer)


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
            problems.append(f"question {question}: answer a number or a word")
        elif given != right:
            problems.append(f"question {question}: {right}, not {given}: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
