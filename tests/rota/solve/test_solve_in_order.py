"""The lexicographic solve's short cuts are exact: a goal held without a solve (the kept
rota at its best possible value), found by trying it at that value, or solved with the
goals after it as one weighted goal gives the optimum that brute force finds, on small
random models."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from rota.domain.synthetic import synthetic_team
from rota.solve.model import RotaModel
from rota.solve.solver import SolveOptions, best_possible, plan, solve_in_order

coefficient = st.integers(-3, 3)
bounds = st.tuples(st.integers(-2, 2), st.integers(0, 3)).map(lambda b: (b[0], b[0] + b[1]))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(bounds, coefficient), min_size=0, max_size=4),
    st.integers(-5, 5),
    st.booleans(),
)
def test_best_possible_is_the_best_over_the_domains(terms, offset, maximise):
    model = cp_model.CpModel()
    variables = [model.new_int_var(low, high, f"v{i}") for i, ((low, high), _) in enumerate(terms)]
    expression = sum((c * v for v, (_, c) in zip(variables, terms, strict=True)), offset)
    (model.maximize if maximise else model.minimize)(expression)
    values = [
        offset + sum(c * x for x, (_, c) in zip(point, terms, strict=True))
        for point in itertools.product(*(range(lo, hi + 1) for (lo, hi), _ in terms))
    ]
    assert best_possible(model) == (max if maximise else min)(values)


def _objective_value(point, weights, offset):
    return offset + sum(w * x for w, x in zip(weights, point, strict=True))


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(2, 6),
    constraints=st.lists(
        st.tuples(st.lists(st.integers(-1, 1), min_size=6, max_size=6), st.integers(-1, 2)),
        max_size=3,
    ),
    goals=st.lists(
        st.tuples(st.lists(coefficient, min_size=6, max_size=6), st.integers(-2, 2), st.booleans()),
        min_size=1,
        max_size=4,
    ),
    try_floor=st.booleans(),
    merge_below=st.sampled_from([1, 40, 10**6]),
)
def test_every_goal_reaches_the_brute_force_optimum(
    size, constraints, goals, try_floor, merge_below
):
    """Booleans under 'sum >= bound' constraints; each goal optimised in turn, as brute force
    does it: keep the points best on the first goal, then the best of those on the next."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(size)]
    points = list(itertools.product((0, 1), repeat=size))
    for weights, least in constraints:
        model.add(sum(w * v for w, v in zip(weights, x, strict=False)) >= least)
        points = [p for p in points if _objective_value(p, weights[:size], 0) >= least]
    objectives = [
        (f"goal {g}", sum((w * v for w, v in zip(weights, x, strict=False)), offset), maximise)
        for g, (weights, offset, maximise) in enumerate(goals)
    ]
    values, info = solve_in_order(
        model, objectives, {"x": dict(enumerate(x))}, SolveOptions(time_limit=10), 0.0,
        try_floor=try_floor, merge_below=merge_below,
    )  # fmt: skip
    if not points:
        assert values is None and info.status == "INFEASIBLE"
        return
    for g, (weights, offset, maximise) in enumerate(goals):
        scores = [_objective_value(p, weights[:size], offset) for p in points]
        best = (max if maximise else min)(scores)
        points = [p for p, score in zip(points, scores, strict=True) if score == best]
        assert info.objectives[f"goal {g}"] == best
    assert tuple(int(values["x"][i]) for i in range(size)) in points
    assert info.status == "OPTIMAL"


@settings(max_examples=6, deadline=None)
@given(size=st.integers(4, 8), weeks=st.integers(2, 4), seed=st.integers(0, 1000))
def test_a_team_plan_reaches_every_goal_of_solving_them_one_by_one(size, weeks, seed):
    """The team solve (goals merged, presolve tuned) against each goal solved on its own,
    on synthetic teams: the same value on every goal."""
    team = synthetic_team(size, weeks, seed=seed)
    options = SolveOptions(time_limit=20)
    merged = plan(team, options, allow_short=True).info
    rota = RotaModel(team, allow_short=True)
    _, alone = solve_in_order(rota.model, rota.objectives(), rota.variables(), options, 0.0)
    assert merged.proven_optimal and alone.proven_optimal
    assert merged.objectives == alone.objectives
