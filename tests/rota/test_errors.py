"""Every rota error for a user's mistake is a ``common.errors.InputError`` (so one rule tells
it from a bug), and none is a ``ValueError`` (which, escaping our code, is a bug)."""

import pickle

import pytest

from common.errors import InputError
from rota.domain.problem import FieldError, ProblemError
from rota.io.cells import CellError, WorkbookError
from rota.io.opening import UnreadableFile
from rota.requests import RequestError
from rota.solve.duty import DutyError
from rota.solve.solver import InfeasibleError, TimedOutError

MISTAKES = [
    WorkbookError(["team.xlsx: Staff, row 3, column A: no staff id", "team.xlsx: no Leave"]),
    CellError("expected a whole number"),
    ProblemError(["period has no weekdays", "min_present above the team"]),
    FieldError("weeks", "number of weeks must be 1 to 53, got 60"),
    DutyError(["Mon 5 Apr 2027: too few in"]),
    RequestError("--day", "'Sat' is not a weekday"),
    UnreadableFile("team.xls: an old Excel file"),
]


@pytest.mark.parametrize("error", MISTAKES, ids=lambda e: type(e).__name__)
def test_a_users_mistake_is_an_input_error_listing_its_problems(error):
    assert isinstance(error, InputError) and not isinstance(error, ValueError)
    assert error.problems and str(error) == "\n".join(str(p) for p in error.problems)


def test_the_solvers_outcomes_are_not_input_errors():
    for outcome in (InfeasibleError(["too few seniors on Mon"]), TimedOutError(2.0)):
        assert not isinstance(outcome, InputError | ValueError)
    assert str(pickle.loads(pickle.dumps(TimedOutError(2.0)))) == str(TimedOutError(2.0))


def test_the_field_and_option_at_fault_are_kept():
    assert FieldError("weeks", "too many").field == "weeks"
    assert RequestError("--day", "not a weekday").option == "--day"
