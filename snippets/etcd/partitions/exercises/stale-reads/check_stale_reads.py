"""Checks an answer to the exercise "Which reads can be stale?" (Network partitions).

Usage: python3 check_stale_reads.py my-stale-reads.txt
Your file holds one "read: yes" or "read: no" line per read (yes: it can return stale data);
# starts a comment.
"""

import sys

# read -> (right answer, why, for a wrong answer)
ANSWERS = {
    "1": ("no", "the leader first has a majority confirm that it still leads (ReadIndex), "
                "so it answers with every committed write"),
    "2": ("yes", "a serializable read is answered from the follower's own copy, "
                 "which can lag behind the leader or be cut off from it"),
    "3": ("no", "the follower first asks the leader for its commit index and waits until "
                "it has applied that far (ReadIndex)"),
    "4": ("no", "no majority can confirm that it still leads, so the read times out "
                "instead of answering"),
    "5": ("yes", "a serializable read asks no other member: the cut-off leader answers from "
                 "its own copy, which misses every write made since the cut"),
    "6": ("yes", "watch is not linearizable: events arrive some time after the write, and a "
                 "member cut off from the leader delivers none at all"),
}


def read_answers(path):
    answers = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if line:
                read, _, answer = line.partition(":")
                answers[read.strip()] = answer.strip().lower()
    return answers


def main(path):
    answers = read_answers(path)
    problems = []
    for read, (right, why) in ANSWERS.items():
        given = answers.get(read)
        if given not in ("yes", "no"):
            problems.append(f"read {read}: answer yes or no")
        elif given != right:
            can = "can" if right == "yes" else "cannot"
            problems.append(f"read {read} {can} return stale data: {why}")
    print("\n".join(problems) or "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
