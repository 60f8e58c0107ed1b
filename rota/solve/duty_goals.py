"""The duty rota's goals, in priority order: periods uncovered (when allowed), duty shared
evenly by the service's rule, duty groups in turn, the standing days and first
preferences duty displaces, and leave falling in duty periods."""

from __future__ import annotations

from ortools.sat.python import cp_model

from rota.domain.duty_share import SCALE, displaced, on_duty_share
from rota.domain.service import DutyShare

UNCOVERED = "duty periods no team covers"
FAIRNESS = {
    DutyShare.WORKLOAD_PER_HEAD: "duty days per head: most minus least (thousandths)",
    DutyShare.DAYS_PER_PERSON: "duty days per person: most minus least (thousandths)",
}
TURNS = "duty groups out of turn"
COST = "agreed standing days, then first preferences, that duty displaces"
LEAVE = "leave falling in a team's duty periods"


def duty_objectives(duty) -> list[tuple[str, object, bool]]:
    """(name, expression, maximise?) from the highest priority down."""
    goals = [(UNCOVERED, sum(duty.uncovered.values()), False)] if duty.uncovered else []
    return goals + [
        (FAIRNESS[duty.service.duty.shared_by], fairness(duty), False),
        (TURNS, group_turns(duty), False),
        (COST, displacement(duty), False),
        (LEAVE, leave_on_duty(duty), False),
    ]


def loads(duty) -> dict[object, list[tuple[int, cp_model.IntVar]]]:
    """Per unit of fairness, (thousandths, literal) terms: per team for workload per head,
    per duty group (or whole team) for days per person. Units never on duty carry 0."""
    rule = duty.service.duty.shared_by
    out: dict[object, list] = {}
    for name, groups in duty.groups.items():
        if rule is DutyShare.WORKLOAD_PER_HEAD or len(groups) == 1:
            out[name, None] = []
        else:
            out.update({(name, g): [] for g in range(len(groups))})
    shares: dict[tuple[str, int | None], tuple[int, list]] = {}
    lengths = [len(slot) for slot in duty.slots]
    for name, g, s, literal in duty.units:
        if (name, g) not in shares:
            share = on_duty_share(duty.problems[name], _pool(duty, name, g), rule)
            shares[name, g] = (share, out[(name, None) if (name, None) in out else (name, g)])
        share, terms = shares[name, g]
        terms.append((lengths[s] * share, literal))
    return out


def fairness(duty):
    """The most load minus the least, across the service's units of fairness (with the
    least and most of the teams outside the model, when it holds only some)."""
    expressions = [_weighted(terms) for terms in loads(duty).values()]
    expressions += list(duty.outside or ())
    bound = SCALE * len(duty.slots[0]) * len(duty.slots) if duty.slots else 0
    high = duty.model.new_int_var(0, bound, "most_duty_load")
    low = duty.model.new_int_var(0, bound, "least_duty_load")
    duty.model.add_max_equality(high, expressions)
    duty.model.add_min_equality(low, expressions)
    return high - low


def group_turns(duty):
    """Duty groups take turns: no group has a second turn before every other group of
    its team has had one. Per team, the most turns any group is ahead by beyond that
    (0 while they take turns; a group all away may have to miss its turn)."""
    ahead = []
    for name, groups in duty.groups.items():
        if len(groups) < 2:
            continue
        excess = duty.model.new_int_var(0, len(duty.slots), f"turns_ahead[{name}]")
        so_far = [0] * len(groups)
        for s in range(len(duty.slots)):
            for g in range(len(groups)):
                so_far[g] += duty.group_duty.get((name, s, g), 0)
            for g, mine in enumerate(so_far):
                for h, theirs in enumerate(so_far):
                    if g != h:
                        duty.model.add(excess >= mine - theirs - 1)
        ahead.append(excess)
    return sum(ahead)


def displacement(duty):
    """Per unit on duty in a period, a fixed cost: the agreed standing days it displaces,
    each weighted above every first preference it could displace, plus those."""
    days = [d for slot in duty.slots for d in slot]
    slot_of = {d: s for s, slot in enumerate(duty.slots) for d in slot}
    weight = duty.cost_weight or cost_weight(duty.service)
    per_slot: dict[tuple[str, int | None], dict[int, int]] = {}
    terms = []
    for name, g, s, literal in duty.units:
        if (name, g) not in per_slot:
            problem, pool = duty.problems[name], _pool(duty, name, g)
            costs: dict[int, int] = {}
            for day, (standing, preferred) in displaced(problem, days, pool, duty.away[name]):
                costs[slot_of[day]] = costs.get(slot_of[day], 0) + standing * weight + preferred
            per_slot[name, g] = costs
        if s in per_slot[name, g]:
            terms.append((per_slot[name, g][s], literal))
    return _weighted(terms)


def cost_weight(service) -> int:
    """A standing day's weight: above any total of first preferences duty can displace
    (one team is on duty each day, so at most the largest team's head count a day)."""
    days = len(service.teams[0].working_days) if service.teams else 0
    return 1 + days * max((len(p.staff) for p in service.teams), default=0)


def leave_on_duty(duty):
    """Staff-days away (leave, part-time days) in each team's duty periods."""
    slot_of = {d: s for s, slot in enumerate(duty.slots) for d in slot}
    terms = []
    for name, taken in duty.team_slots.items():
        away: dict[int, int] = {}
        for day, gone in duty.away[name].items():
            if gone:
                away[slot_of[day]] = away.get(slot_of[day], 0) + len(gone)
        terms += [(count, taken[s]) for s, count in away.items() if s in taken]
    return _weighted(terms)


def _pool(duty, name: str, g: int | None) -> frozenset[str]:
    return duty.groups[name][g] if g is not None else frozenset().union(*duty.groups[name])


def _weighted(terms: list[tuple[int, cp_model.IntVar]]):
    terms = [(c, v) for c, v in terms if c]
    if not terms:
        return 0
    return cp_model.LinearExpr.weighted_sum([v for _, v in terms], [c for c, _ in terms])
