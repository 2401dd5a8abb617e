"""Checks an answer to the exercise "Who can win the election?" (Raft consensus).

Usage: python3 check_election.py my-election.txt
Your file holds one "question: answer" line per question (yes, no or a number); # starts a comment.
"""

import sys

# question -> (right answer, why, for a wrong answer)
ANSWERS = {
    "1": ("no", "m2's log is more up to date than m3's, so m2 refuses m3 its vote, and without it m3 "
                "has no majority"),
    "2": ("yes", "its log is at least as up to date as m3's, so m3 votes for it"),
    "3": ("no", "they are committed, and every leader elected later holds every committed entry "
                "(leader completeness)"),
    "4": ("5", "a candidate starts a new term, higher than any it has seen, and the last one was 4"),
    "5": ("no", "it sees the higher term and becomes a follower of the new leader: leadership does "
                "not return on its own"),
    "6": ("no", "m2 alone is 1 of 3 members, not a majority"),
}


def valid(answer):
    return answer in ("yes", "no") or (answer or "").isdigit()


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
            problems.append(f"question {question}: answer yes, no or a number")
        elif given != right:
            problems.append(f"question {question}: {right}, not {given}: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
