"""The Rota value: a rota read back, as plain data (no workbook needed to build one)."""

import datetime as dt

from rota.domain.plan import Status
from rota.domain.rota import Rota, RotaPerson

MONDAY = dt.date(2027, 4, 5)
DAYS = [MONDAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 4, 7)]


def rota(**fields) -> Rota:
    staff = [RotaPerson("North", "N1", "", "9DF", 6), RotaPerson("South", "S1", "", "", 7)]
    statuses = {(p.id, d): Status.WORK for p in staff for d in DAYS}
    statuses["S1", MONDAY] = Status.DUTY
    letters = {d: chr(ord("E") + i) for i, d in enumerate(DAYS)}
    return Rota("rota.xlsx", "", staff, DAYS, statuses, letters, **fields)


def test_teams_in_the_order_the_rota_lists_them_and_their_statuses():
    found = rota()
    assert found.teams == ["North", "South"]
    assert set(found.team_statuses("South")) == {("S1", d) for d in DAYS}
    assert found.team_statuses("South")["S1", MONDAY] is Status.DUTY


def test_week_a_from_the_labels_else_the_first_monday():
    assert rota().week_a == MONDAY
    assert rota(week_a_label=MONDAY - dt.timedelta(7)).week_a == MONDAY - dt.timedelta(7)
    midweek = rota()
    midweek.days = DAYS[2:]
    assert midweek.week_a == MONDAY
