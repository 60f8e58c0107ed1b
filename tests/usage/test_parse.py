import pandas as pd
import pytest

from usage.readers.parse import Clock, parse_datetimes, parse_durations, parse_numbers


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-03-01", "2021-03-01 00:00"),
        ("2021-03-01T09:15:00", "2021-03-01 09:15"),
        ("2021-06-01 09:15", "2021-06-01 08:15"),  # British Summer Time is UTC+1
        ("2021-06-01T09:15:00+00:00", "2021-06-01 09:15"),  # an explicit offset wins
        ("2021-06-01T09:15:00Z", "2021-06-01 09:15"),
        ("01/03/2021", "2021-03-01 00:00"),
        ("13/03/2021 17:05:09", "2021-03-13 17:05:09"),
        ("44256.375", "2021-03-01 09:00"),  # Excel serial day number
    ],
)
def test_accepted_date_formats(raw, expected):
    values, errors = parse_datetimes(pd.Series([raw]))
    assert errors.isna().all()
    assert values.iloc[0] == utc(expected)


def test_slash_dates_in_the_given_order_and_the_other_order_is_reported_not_guessed():
    values, errors = parse_datetimes(pd.Series(["03/04/2021", "04/13/2021"]), Clock(order="dmy"))
    assert values.iloc[0] == utc("2021-04-03 00:00") - pd.Timedelta(hours=1)  # 3 April, BST
    assert pd.isna(values.iloc[1])
    assert "month would be over 12" in errors.iloc[1]
    values, errors = parse_datetimes(pd.Series(["03/04/2021", "04/13/2021"]), Clock(order="mdy"))
    assert values.tolist() == [utc("2021-03-04"), utc("2021-04-12 23:00")]


@pytest.mark.parametrize("raw", ["31/02/2021", "yesterday", "2021-13-01", "1/3/21"])
def test_unparseable_dates_are_errors(raw):
    values, errors = parse_datetimes(pd.Series([raw]))
    assert pd.isna(values.iloc[0])
    assert errors.iloc[0]


def test_empty_dates_are_errors_only_when_required():
    assert parse_datetimes(pd.Series([""]))[1].iloc[0] == "a date (the cell is empty)"
    assert parse_datetimes(pd.Series([""]), required=False)[1].isna().all()


@pytest.mark.parametrize(
    ("raw", "unit", "seconds"),
    [
        ("00:05:30", None, 330),
        ("1:02:03", None, 3723),
        ("1h 5m", None, 3900),
        ("5 min 30 s", None, 330),
        ("90s", None, 90),
        ("2 hours", None, 7200),
        ("12.5", "minutes", 750),
        ("95", "seconds", 95),
        ("-00:01:00", None, -60),
    ],
)
def test_duration_formats(raw, unit, seconds):
    values, errors = parse_durations(pd.Series([raw]), unit)
    assert errors.isna().all()
    assert values.iloc[0] == pytest.approx(seconds)


def test_bare_number_without_unit_is_reported():
    values, errors = parse_durations(pd.Series(["12", "soon"]), None)
    assert values.isna().all()
    assert "minutes" in errors.iloc[0] and "HH:MM:SS" in errors.iloc[1]


def test_numbers_accept_thousands_and_flag_fractions_when_whole():
    values, errors = parse_numbers(pd.Series(["1,234", "2.5", "x"]), "a count", integer=True)
    assert values.iloc[0] == 1234
    assert errors.isna().tolist() == [True, False, False]


def test_fast_paths_agree_with_pandas_on_random_values():
    import numpy as np

    from usage.readers.fastpath import digit_integers, fixed_datetimes, fixed_hms

    rng = np.random.default_rng(7)
    stamps = pd.Timestamp("2019-01-01") + pd.to_timedelta(
        rng.integers(0, 3 * 365 * 86_400, 2_000), unit="s"
    )
    for order, layout in (
        ("dmy", "%d/%m/%Y %H:%M:%S"),
        ("mdy", "%m/%d/%Y %H:%M"),
        ("ymd", "%Y-%m-%d"),
    ):
        text = pd.Series(stamps.strftime(layout))
        expected = pd.to_datetime(text, format=layout)
        assert (fixed_datetimes(text, order) == expected).all()
    seconds = rng.integers(0, 100 * 3600, 2_000)
    hms = pd.Series([f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" for s in seconds])
    assert (fixed_hms(hms) == seconds).all()
    assert digit_integers(pd.Series(["0", "0042", "12345", "1.5", "-3", "١٢", ""])).tolist()[
        :3
    ] == [
        0,
        42,
        12345,
    ]
    assert digit_integers(pd.Series(["1.5", "-3", "١٢", "", "2 "])).isna().all()


def test_impossible_values_fall_through_to_the_explained_path():
    values, errors = parse_datetimes(
        pd.Series(["29/02/2021 10:00:00", "13/03/2021 24:00:00", "13/03/2021 10:00:00"])
    )
    assert values.isna().tolist() == [True, True, False]
    assert errors.notna().tolist() == [True, True, False]


def test_decimal_comma_and_grouped_thousands():
    values, errors = parse_numbers(pd.Series(["2,5", "3"]), "hours", decimal_comma=True)
    assert values.tolist() == [2.5, 3.0] and errors.isna().all()
    values, errors = parse_numbers(pd.Series(["1,5", "12,345.5"]), "hours")
    assert pd.isna(values.iloc[0]) and values.iloc[1] == 12345.5
