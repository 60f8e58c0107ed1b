"""Each hard rule is stated once in the domain and once, under the same name, in the
CP-SAT model: these tests fail when the two lists drift apart."""

import datetime as dt
import inspect

from rota.domain import rules
from rota.domain.problem import WEEKDAYS, Leave, Pattern
from rota.solve.model import RotaModel

MON, TUE, WED, THU, FRI = range(5)


def test_every_domain_rule_has_a_model_method_of_the_same_name():
    for name in rules.HARD_RULES:
        assert callable(getattr(rules, name, None)), f"rota.domain.rules has no {name}"
        assert callable(getattr(RotaModel, f"_{name}", None)), f"RotaModel has no _{name}"


def test_each_model_method_points_to_its_domain_twin():
    source = inspect.getsource(RotaModel)
    for name in rules.HARD_RULES:
        assert f"# Domain twin: rota.domain.rules.{name}" in source, name


def test_the_model_opens_exactly_the_days_the_domain_leaves_open(make):
    """A day-off literal exists where, and only where, no rule closes the day: duty,
    leave, a part-time day, a day the worker cannot take, the cover buddy away."""
    monday = make.monday
    staff = [
        make.person("A", Pattern.FOUR_DAY_WEEK, cannot_take=(MON,), cover_buddy="B"),
        make.person("B", Pattern.NINE_DAY_FORTNIGHT),
        make.person("C", Pattern.PART_TIME, hours=22.2, fixed_days_off=(WED, THU)),
        make.person("D", Pattern.NINE_DAY_FORTNIGHT, cover_buddy="C"),
    ]
    leave = [Leave("B", monday + dt.timedelta(days=1), monday + dt.timedelta(days=2))]
    problem = make.problem(staff, duty=[monday + dt.timedelta(days=9)], leave=leave)
    model = RotaModel(problem)
    open_days = {
        (p.id, day)
        for p in problem.staff
        if p.pattern.is_flexi
        for day in problem.working_days
        if rules.why_unavailable(problem, p, day) is None
    }
    assert set(model.x) == open_days
    closed = {(p, d) for p in "ABD" for d in problem.working_days} - open_days
    reasons = {rules.why_unavailable(problem, problem.member(p), d) for p, d in closed}
    assert reasons == {  # each kind of closed day occurs
        "annual leave",
        "team on duty",
        f"cannot take {WEEKDAYS[MON]}",
        "cover buddy Person B away",
        "cover buddy Person C away",
    }
