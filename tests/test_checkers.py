"""What every exercise checker shares (actlab.book.check): stepped hints, then the solution;
unknown names are refused clearly. Each checker's own cases are in tests/test_checkers_*.py."""

import pytest

from actlab.book import check


@pytest.mark.parametrize("name", sorted(check.EXERCISES))
def test_hints_come_in_steps_then_the_solution(name):
    steps = len(check.EXERCISES[name].hints)
    check.reset_hints(name)
    said = [check.hint(name) for _ in range(steps + 1)]
    for k, text in enumerate(said[:-1], 1):
        assert text.startswith(f"Hint {k} of {steps} for {name}: ")
    assert said[-1].startswith(f"No more hints for {name}. The solution: ")
    check.reset_hints()
    assert check.hint(name).startswith("Hint 1")
    check.reset_hints()


def test_unknown_names_are_refused():
    with pytest.raises(KeyError, match="no exercise named"):
        check.hint("nope")
    with pytest.raises(AttributeError, match="has no checker"):
        check.nope  # noqa: B018
    assert "dead_mask" in dir(check)
