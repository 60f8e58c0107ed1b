"""The one error type the trials package raises for a user's mistake."""

from common.errors import InputError


class TrialError(InputError):
    """Bad input: a spec, a data set or an option. The message names the key or column.

    Not a ``ValueError``: a ``ValueError`` from our own code is a bug, never the user's.
    """


class ObservationError(TrialError):
    """A problem with one observation, found where only its position is known.

    Callers that know the data re-raise it with :meth:`located`, naming the file row
    and unit id instead of a 0-based position.
    """

    def __init__(self, position: int, problem: str) -> None:
        super().__init__(f"observation {position + 1} of the analysed rows {problem}")
        self.position = position
        self.problem = problem

    def located(self, place: str) -> TrialError:
        return TrialError(f"{place} {self.problem}")
