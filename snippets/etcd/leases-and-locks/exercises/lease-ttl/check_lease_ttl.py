"""Checks an answer to the exercise "How long does a lease live?" (Leases, locks and elections).

Usage: python3 check_lease_ttl.py my-lease-ttl.txt
Your file holds one "question: answer" line per question: a number of seconds, or "never";
# starts a comment.
"""

import sys

# question -> (lowest and highest accepted answer in seconds, or None for "never"; why, for a wrong answer)
ANSWERS = {
    "1": ((38, 41), "a follower forwards timetolive to the leader, which has counted down "
                    "from the grant for 20 seconds"),
    "2": ((59, 61), "a new leader does not know how long each lease had left: it restarts every "
                    "countdown at the full TTL plus one election timeout"),
    "3": (None, "every new leader restarts the 60-second countdown, so with a new leader every "
                "30 seconds the lease never runs out"),
    "4": ((59, 61), "only leases with more than five minutes left are checkpointed, so this one "
                    "also starts over at its full TTL"),
    "5": ((2395, 2405), "the new leader starts from the last checkpoint, taken at 20 minutes "
                        "(2400 seconds left), not from the time really left"),
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                question, _, answer = line.partition(":")
                answers[question.strip()] = answer.strip().lower().removesuffix("s")
    return answers


def main(path):
    answers = read_answers(path)
    problems = []
    for question, (accepted, why) in ANSWERS.items():
        given = answers.get(question, "")
        if given != "never" and not given.isdigit():
            problems.append(f"question {question}: answer with a number of seconds or never")
        elif (given == "never") != (accepted is None) or (
                accepted and not accepted[0] <= int(given) <= accepted[1]):
            problems.append(f"question {question}: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
