"""Day-level figures: the distinct person-weeks found without a sort, checked against pandas."""

import numpy as np
import pandas as pd
import pytest

from usage.metrics.days import person_weeks
from usage.model import Period
from usage.store.database import connect
from usage.store.load import session_log


def test_person_weeks_are_the_distinct_pairs_pandas_finds():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"person": rng.integers(0, 40, 5000), "day": rng.integers(-30, 400, 5000)})
    frame = frame.drop_duplicates().sort_values(["person", "day"])
    week = (frame["day"].to_numpy() + 3) // 7
    person, weeks = person_weeks(frame["person"].to_numpy(), week)
    expected = pd.DataFrame({"p": frame["person"], "w": week}).drop_duplicates()
    assert person.tolist() == expected["p"].tolist() and weeks.tolist() == expected["w"].tolist()
    with pytest.raises(ValueError, match="order"):
        person_weeks(np.array([2, 1]), np.array([0, 0]))


def test_the_session_log_gives_each_persons_days_once_in_order(pilot_db):
    from datetime import date

    usage, days = session_log(connect(pilot_db), Period(date(2021, 3, 1), date(2021, 3, 28)))
    assert not days.duplicated().any()
    assert days.equals(days.sort_values(["person_id", "local_day"]).reset_index(drop=True))
    assert set(days["person_id"]) == set(usage.index) and usage["sessions"].sum() == 54


def test_the_session_log_read_in_two_halves_is_the_log_read_whole(pilot_db):
    from datetime import date

    from usage.store.load import EVERYONE, FROM, LaterHalf, middle_person, session_rows

    conn = connect(pilot_db)
    conn.execute(  # a person past the middle with a session, so each half holds someone
        "INSERT INTO sessions (person_id, start_utc, local_day, duration_s, ingest_id)"
        " SELECT MAX(person_id), 1615000000, 18691, 60, 1 FROM people"
    )
    period = Period(date(2021, 3, 1), date(2021, 3, 28))
    middle = middle_person(conn)
    whole = session_rows(conn, period, EVERYONE)
    assert any(row[0] < middle for row in whole) and any(row[0] >= middle for row in whole)
    later = LaterHalf(middle, lambda: session_rows(conn, period, FROM, middle))
    usage, days = session_log(conn, period, later)
    usage_whole, days_whole = session_log(conn, period)
    assert usage.equals(usage_whole) and days.equals(days_whole)
