"""Self-check for the exercise "One change, four ways to send it".

Usage: python3 check_patch.py my-patch.yaml
Prints PASS, or one line per wrong or missing answer; exits 0 on PASS, 1 otherwise.
"""

import sys

import yaml

NEW_IMAGE = "registry.example.com/shop/api:1.5"
BOTH = ["app", "log-shipper"]

# answer: (expected, why)
ANSWERS = {
    "strategic.containers": (BOTH, "a strategic merge patch merges containers by "
                             "name: it updates app and leaves log-shipper alone"),
    "strategic.app-image": (NEW_IMAGE, "the patch sets app's image"),
    "strategic.app-port": (8080, "fields the patch does not name keep their values"),
    "merge.containers": (["app"], "a JSON merge patch replaces a list as a whole: "
                         "containers becomes the one-entry list of the patch"),
    "merge.app-image": (NEW_IMAGE, "the patch's app entry carries the new image"),
    "merge.app-port": (None, "the app entry is replaced by the patch's entry, which has no ports"),
    "apply": ("conflict", "release-bot would change app's image, which the field manager kubectl owns: "
              "without --force-conflicts that is a conflict"),
    "forced-apply.containers": (BOTH, "containers is a list map keyed by name: "
                                "release-bot's apply touches only the app entry"),
    "forced-apply.app-image": (NEW_IMAGE, "a forced apply sets the value it applies"),
    "forced-apply.app-port": (8080, "release-bot's configuration does not mention ports: kubectl still owns them"),
    "forced-apply.image-manager": ("release-bot", "a forced apply moves the conflicting field "
                                   "to the manager that applied it"),
}


def lookup(answers, dotted):
    value = answers
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(dotted)
        value = value[part]
    return value


def same(answer, expected):
    if isinstance(expected, list):  # the order of containers does not matter here
        return isinstance(answer, list) and sorted(map(str, answer)) == sorted(expected)
    return answer == expected and type(answer) is type(expected)


def problems(answers):
    if not isinstance(answers, dict):
        return ["the file must be a YAML mapping, laid out like the one on the page"]
    found = []
    for dotted, (expected, why) in ANSWERS.items():
        try:
            answer = lookup(answers, dotted)
        except KeyError:
            found.append(f"{dotted}: no answer")
            continue
        if not same(answer, expected):
            found.append(f"{dotted}: not {answer!r}: {why}")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        answers = yaml.safe_load(file)
    found = problems(answers)
    print("\n".join(found) if found else "PASS")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
