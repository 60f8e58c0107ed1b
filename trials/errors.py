"""The one error type the trials package raises for a user's mistake."""


class TrialError(ValueError):
    """Bad input: a spec, a data set or an option. The message names the key or column."""
