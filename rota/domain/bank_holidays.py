"""The UK's bank holidays for a region and years: from a copy of the ``holidays`` library's
calendar for 2020-2035 (so a command that only checks a workbook need not load every
country's calendar), and from the library itself for any other year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

FIRST_YEAR, LAST_YEAR = 2020, 2035


def bank_holidays(region: str, years: Iterable[int]) -> dict[dt.date, str]:
    """Date -> name for ``region`` ('ENG', 'SCT' or 'NIR') in ``years``."""
    years = list(years)
    if all(FIRST_YEAR <= year <= LAST_YEAR for year in years):
        from rota.domain.bank_holiday_table import TABLE

        return {
            day: name
            for iso, name in TABLE[region].items()
            if (day := dt.date.fromisoformat(iso)).year in years
        }
    import holidays  # loads every country's calendar: only for years the copy lacks

    return dict(holidays.UK(subdiv=region, years=years).items())
