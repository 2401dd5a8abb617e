"""docs/{zh,en}/architecture-principles/controllers.md: its exercises get the checks of
tests/page_checks.py."""

from page_checks import ExerciseChecks


class TestControllers(ExerciseChecks):
    page = "architecture-principles/controllers.md"
    checkers = [
        "architecture-principles/exercises/adoption/check_adoption.py",
        "architecture-principles/exercises/leader-election/check_leader_election.py",
    ]
