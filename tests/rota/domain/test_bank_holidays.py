"""The copy of the UK's bank holidays is the ``holidays`` library's calendar, exactly."""

import datetime as dt

import holidays
import pytest

from rota.domain.bank_holiday_table import TABLE
from rota.domain.bank_holidays import FIRST_YEAR, LAST_YEAR, bank_holidays
from rota.domain.problem import BANK_HOLIDAY_REGIONS

STALE = "the copy is stale: run python fixtures/make_bank_holidays.py"


@pytest.mark.parametrize("region", sorted(BANK_HOLIDAY_REGIONS.values()))
def test_the_copy_is_the_librarys_calendar(region):
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    library = dict(holidays.UK(subdiv=region, years=years).items())
    assert bank_holidays(region, years) == library, STALE
    assert set(TABLE) == set(BANK_HOLIDAY_REGIONS.values()), STALE


def test_years_outside_the_copy_come_from_the_library():
    outside = bank_holidays("SCT", [LAST_YEAR + 1])
    assert outside == dict(holidays.UK(subdiv="SCT", years=[LAST_YEAR + 1]).items())
    assert dt.date(LAST_YEAR + 1, 1, 2) in outside  # Scotland's 2 January


def test_one_year_only_and_regions_differ():
    england = bank_holidays("ENG", [2027])
    assert {day.year for day in england} == {2027}
    assert dt.date(2027, 3, 17) in bank_holidays("NIR", [2027])  # St Patrick's Day
    assert dt.date(2027, 3, 17) not in england
