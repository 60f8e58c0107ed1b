"""The hard rules as the domain states them, on hand-made statuses."""

from rota.domain.plan import Status
from rota.domain.problem import Pattern
from rota.domain.rules import (
    buddies_away_with,
    cover_buddy_present,
    minimum_present,
    minimum_seniors,
)


def _statuses(problem, day, **by_id):
    return {(p.id, day): by_id.get(p.id, Status.WORK) for p in problem.staff}


def test_minimum_present_and_seniors_count_those_in_against_the_team_minimum(make):
    staff = [make.person("A", senior=True), make.person("B"), make.person("C")]
    problem = make.problem(staff, min_present=3, min_senior=1)
    day = make.monday
    cover = minimum_present(problem, staff[1:], day)
    assert (cover.present, cover.needed, cover.holds, cover.spare) == (2, 3, False, -1)
    assert not minimum_seniors(problem, staff[1:], day).holds
    assert minimum_seniors(problem, staff, day).holds


def test_minimum_present_asks_the_duty_minimum_on_a_duty_day(make):
    staff = [make.person(i) for i in "ABC"]
    problem = make.problem(staff, duty=[make.monday], min_present=1, min_present_on_duty=3)
    assert minimum_present(problem, staff, make.monday).needed == 3
    assert minimum_present(problem, staff, make.days(make.monday, 2)[1]).needed == 1


def test_a_flexi_day_with_the_cover_buddy_away_breaks_the_buddy_rule(make):
    staff = [
        make.person("A", Pattern.FOUR_DAY_WEEK, cover_buddy="B"),
        make.person("B"),
        make.person("C", cover_buddy="A"),
    ]
    problem = make.problem(staff)
    day = make.monday
    both_flexi = _statuses(problem, day, A=Status.NON_WORKING_DAY, B=Status.NON_WORKING_DAY)
    assert [(p.id, b.id) for p, b in cover_buddy_present(problem, both_flexi, day)] == [("A", "B")]
    on_leave = _statuses(problem, day, A=Status.LEAVE, B=Status.LEAVE)
    assert cover_buddy_present(problem, on_leave, day) == []  # a shortfall, not a rule break
    # A's day off would break the rule with B (A's cover buddy) and C (whom A covers)
    others_off = _statuses(problem, day, B=Status.NON_WORKING_DAY, C=Status.NON_WORKING_DAY)
    assert [p.id for p in buddies_away_with(problem, others_off, staff[0], day)] == ["B", "C"]
    assert buddies_away_with(problem, _statuses(problem, day), staff[0], day) == []
