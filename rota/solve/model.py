"""The CP-SAT model of one team: variables, one small function per hard rule, and the
soft goals in priority order. Used alone for a team, or several on one shared model
(with duty as variables) for a service planned as one flat model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from ortools.sat.python import cp_model

from rota.domain.halfdays import half_off, half_words, halves_of, in_for_half
from rota.domain.problem import Problem, StaffMember, StandingDay
from rota.domain.rules import (
    cannot_take_days,
    cover_buddy_away,
    describe_day,
    no_flexi_day_on_duty,
    no_flexi_day_when_away,
    owed_periods,
    preference_penalty,
    standing_slots,
)
from rota.domain.seams import days_owed

MOST_MOVES = "most days moved for one person"


@dataclass
class RotaModel:
    """CP-SAT variables for one problem. ``x`` holds a non-working-day literal per
    (flexi worker, available day); ``standing`` a literal per (worker, standing slot)."""

    problem: Problem
    explain: bool = False  # add assumption literals for an infeasibility core
    allow_short: bool = False  # cover minimums soft: the staff-days short are minimised first
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    # For a flat service model: the team's duty per day as a literal, decided with the rest.
    duty_literals: dict[dt.date, cp_model.IntVar] | None = None
    # ... and, for a team with duty groups, each day's (group, literal) pairs
    group_literals: dict[dt.date, list[tuple[frozenset[str], cp_model.IntVar]]] | None = None
    x: dict[tuple[str, dt.date], cp_model.IntVar] = field(default_factory=dict)
    standing: dict[tuple[str, StandingDay], cp_model.IntVar] = field(default_factory=dict)
    moves: list[cp_model.IntVar] = field(default_factory=list)
    absorbed: list[cp_model.LinearExpr] = field(default_factory=list)
    assumptions: dict[int, str] = field(default_factory=dict)  # literal index -> plain words
    away_literals: dict[str, cp_model.IntVar] = field(default_factory=dict)
    duty: dict[tuple[str, dt.date], cp_model.IntVar] = field(default_factory=dict)
    short: list[cp_model.IntVar] = field(default_factory=list)  # staff short, per rule and day
    moves_of: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)  # per worker

    def __post_init__(self):
        self._non_working_day_variables()
        self._no_flexi_day_on_decided_duty()
        self._standing_day_choice()
        self._one_day_per_period()
        self._days_off_kept()
        self._cover_buddy_present()
        self._minimum_present()
        self._minimum_seniors()
        self._duty_covered()

    def variables(self) -> dict[str, dict]:
        """The decision literals, by group, as the result needs them."""
        return {"x": self.x, "standing": self.standing, "duty": self.duty}

    def on_duty(self, day: dt.date):
        """1 or 0 when the team's duty is given; a literal when the service model decides it."""
        if self.duty_literals is not None:
            return self.duty_literals.get(day, 0)
        return int(day in self.problem.duty_days)

    # Domain twin: rota.domain.rules.no_flexi_day_on_duty, on duty days this model decides.
    def _no_flexi_day_on_decided_duty(self) -> None:
        for (pid, day), literal in self.x.items():
            for members, duty in self._duty_pools(day):
                if isinstance(duty, cp_model.IntVar) and pid in members:
                    self.model.add_implication(literal, duty.Not())

    def _duty_pools(self, day: dt.date) -> list[tuple[frozenset[str], object]]:
        """Who could be on duty on ``day``, and when: (pool, 1) on a given duty day, (team
        or group, its literal) where the service model decides duty, else nothing."""
        if self.group_literals and day in self.group_literals:
            return self.group_literals[day]
        duty = self.on_duty(day)
        if isinstance(duty, int) and not duty:
            return []
        return [(frozenset(p.id for p in self.problem.staff if self._in_pool(p, day)), duty)]

    def _duty_covered(self) -> None:
        """On the team's duty days someone of the duty pool is in (k of them where the team
        names k duty workers, picked from those in; the pool takes no flexi day on duty days)."""
        for day in self.problem.working_days:
            for members, duty in self._duty_pools(day):
                self._pool_covers(day, [p for p in self.problem.staff if p.id in members], duty)

    def _pool_covers(self, day: dt.date, pool: list[StaffMember], duty) -> None:
        """Enough of ``pool`` in on ``day`` (each half of it, where a half day is off)."""
        need = max(self.problem.team.duty_workers, 1)
        for half, there in self._halves(pool, day):
            words = partial(
                self._rule_words, need, "of the duty group on duty", day, half, there, pool
            )
            presence = [self._presence(p, day) for p in there]
            short = self._at_least(presence, need * duty, words, need)
        if self.problem.team.duty_workers:
            self._named_duty_workers(day, duty, pool, short, words)

    def _named_duty_workers(self, day: dt.date, duty, pool, short, words) -> None:
        """Pick the named duty workers from those of the pool who are in."""
        wanted = self.problem.team.duty_workers
        letter = self.problem.team.week_letter(day)
        for person in pool:
            literal = self.model.new_bool_var(f"duty[{person.id},{day}]")
            self.model.add(literal <= self._presence(person, day))
            if half_off(person, day, letter):  # named duty is for the whole day
                self.model.add(literal == 0)
            self.duty[person.id, day] = literal
        picked = sum(self.duty[p.id, day] for p in pool)
        self.model.add(picked <= wanted * duty)
        self._explainable(self.model.add(picked + short >= wanted * duty), words)

    def _in_pool(self, person: StaffMember, day: dt.date) -> bool:
        return self.duty_literals is not None or self.problem.in_duty_pool(person.id, day)

    def _at_least(self, terms: list, minimum, words, most_short: int):
        """Add sum(terms) >= minimum; soft when short is allowed. Returns the shortfall.
        ``words`` makes the rule's plain words, for explaining only (they cost time)."""
        if isinstance(minimum, int) and minimum <= 0:
            return 0
        if not self.allow_short:
            self._explainable(self.model.add(sum(terms) >= minimum), words)
            return 0
        short = self.model.new_int_var(0, most_short, "short")
        self.model.add(sum(terms) + short >= minimum)
        self.short.append(short)
        return short

    def _explainable(self, constraint, words) -> None:
        if self.explain:
            words = words()
            rule = self.model.new_bool_var(words)
            constraint.only_enforce_if(rule)
            self.assumptions[rule.index] = words

    @property
    def flexi(self) -> list[StaffMember]:
        return [p for p in self.problem.staff if p.pattern.is_flexi]

    def _non_working_day_variables(self) -> None:
        """A literal only where the day is possible: not duty, leave, bank holiday,
        a day the worker cannot take, or a day the cover buddy is away."""
        for person in self.flexi:
            for day in self.problem.working_days:
                if not self._closed(person, day):
                    self.x[person.id, day] = self.model.new_bool_var(f"nwd[{person.id},{day}]")

    def _closed(self, person: StaffMember, day: dt.date) -> bool:
        """A day a rule closes to a flexi day has no literal (as ``rules.why_unavailable``)."""
        return bool(
            self._no_flexi_day_when_away(person, day)
            or self._no_flexi_day_on_duty(person, day)
            or self._cannot_take_days(person, day)
            or cover_buddy_away(self.problem, person, day)
        )

    # Domain twin: rota.domain.rules.no_flexi_day_when_away.
    def _no_flexi_day_when_away(self, person: StaffMember, day: dt.date) -> bool:
        return no_flexi_day_when_away(self.problem, person, day) is not None

    # Domain twin: rota.domain.rules.no_flexi_day_on_duty (decided duty: the method above).
    def _no_flexi_day_on_duty(self, person: StaffMember, day: dt.date) -> bool:
        return no_flexi_day_on_duty(self.problem, person, day) is not None

    # Domain twin: rota.domain.rules.cannot_take_days.
    def _cannot_take_days(self, person: StaffMember, day: dt.date) -> bool:
        return cannot_take_days(self.problem, person, day) is not None

    def _standing_day_choice(self) -> None:
        for person in self.flexi:
            slots = standing_slots(person)
            for slot in slots:
                self.standing[person.id, slot] = self.model.new_bool_var(
                    f"standing[{person.id},{slot}]"
                )
            self.model.add_exactly_one(self.standing[person.id, s] for s in slots)

    # Domain twin: rota.domain.rules.one_day_per_period.
    def _one_day_per_period(self) -> None:
        """At most one day per period (none in a part fortnight whose day is another
        plan's); a day on the standing slot counts as kept.
        Under the 'absorb' and 'credit' rules a bank holiday on the standing slot is that
        period's day."""
        absorb = self.problem.team.bank_holiday_rule.bank_holiday_is_the_day
        for person in self.flexi:
            for period in owed_periods(self.problem, person):
                taken = [self.x[person.id, d] for d in period.days if (person.id, d) in self.x]
                if not days_owed(self.problem, person, period):  # another plan's day
                    self.model.add(sum(taken) == 0)
                    continue
                absorbed_by = [
                    self.standing[person.id, slot]
                    for slot in standing_slots(person)
                    if absorb and period.day_of(slot, self.problem) in self.problem.bank_holidays
                ]
                self.model.add(sum(taken) + sum(absorbed_by) <= 1)
                self.absorbed.extend(absorbed_by)
                self._link_standing_day(person, period)

    def _days_off_kept(self) -> None:
        """Days that stay non-working days whatever else moves (lost to sickness)."""
        for key in self.problem.kept_off:
            if key in self.x:
                self.model.add(self.x[key] == 1)

    def _link_standing_day(self, person: StaffMember, period) -> None:
        """If the standing slot's day is free of duty, leave and bank holiday, the day off
        falls on it unless the period is marked as moved; only such moves are counted."""
        moved = self.model.new_bool_var(f"moved[{person.id},{period.start}]")
        for slot in standing_slots(person):
            day = period.day_of(slot, self.problem)
            if (person.id, day) in self.x:
                self.model.add(self.x[person.id, day] >= self.standing[person.id, slot] - moved)
        self.moves.append(moved)
        self.moves_of.setdefault(person.id, []).append(moved)

    # Domain twin: rota.domain.rules.cover_buddy_present (a buddy away anyway: _closed).
    def _cover_buddy_present(self) -> None:
        for person in self.flexi:
            if not person.cover_buddy:
                continue
            for day in self.problem.working_days:
                pair = [self.x.get((pid, day)) for pid in (person.id, person.cover_buddy)]
                if pair[0] is not None and pair[1] is not None:
                    self.model.add_at_most_one(pair)

    # Domain twin: rota.domain.rules.minimum_present.
    def _minimum_present(self) -> None:
        team = self.problem.team
        extra_on_duty = (team.min_present_on_duty or team.min_present) - team.min_present
        for day in self.problem.working_days:
            minimum = team.min_present + extra_on_duty * self.on_duty(day)
            self._at_least_present(self.problem.staff, minimum, day, "staff")

    # Domain twin: rota.domain.rules.minimum_seniors.
    def _minimum_seniors(self) -> None:
        seniors = [p for p in self.problem.staff if p.senior]
        for day in self.problem.working_days:
            self._at_least_present(seniors, self.problem.team.min_senior, day, "senior staff")

    def _at_least_present(self, people, minimum, day: dt.date, who: str) -> None:
        """Cover for the whole day, or for the morning and the afternoon apart when
        someone has a half day off then (each half counts only those in for it)."""
        most = self.problem.team.min_present_on_duty or 0
        most = max(most, self.problem.team.min_present, self.problem.team.min_senior)
        for half, there in self._halves(people, day):
            words = partial(self._rule_words, minimum, f"{who} present", day, half, there, people)
            self._at_least([self._presence(p, day) for p in there], minimum, words, most)

    def _rule_words(self, need: int, what: str, day: dt.date, half, there, people) -> str:
        """A cover rule in plain words, for an infeasibility core."""
        return (
            f"at least {need} {what} on {describe_day(day)}{half_words(half)}, but only "
            f"{self._most_present(there, day)} of the {len(people)} can be there"
        )

    def _halves(self, people, day: dt.date) -> list[tuple[str | None, list]]:
        """(half, those of ``people`` in for it) for each part of the day cover is counted in."""
        letter = self.problem.team.week_letter(day)
        return [
            (half, in_for_half(people, day, letter, half))
            for half in halves_of(self.problem.staff, day, letter)
        ]

    def _presence(self, person: StaffMember, day: dt.date):
        """1 when in, 0 when away: a constant, or an expression of the day-off literal."""
        away = self._away(person, day)
        if away is not None:
            return 1 - away
        if (person.id, day) in self.x:
            return 1 - self.x[person.id, day]
        return 1

    def _most_present(self, people, day: dt.date) -> int:
        return sum(self.problem.fixed_absence(p, day) is None for p in people)

    def _away(self, person: StaffMember, day: dt.date):
        """None when present unless given a day off; 1 or a literal when away for a fixed reason.
        In explaining mode each leave spell and part-time pattern is a literal, so the
        infeasibility core can name the absences that conflict with cover."""
        if day in self.problem.bank_holidays:
            return 1
        reason = self.problem.fixed_absence(person, day)
        if reason is None:
            return None
        if not self.explain:
            return 1
        spell = next(
            (
                s
                for s in self.problem.leave
                if s.staff_id == person.id and s.first_day <= day <= s.last_day
            ),
            None,
        )
        key = (
            f"{person.name} ({person.id}) on {spell.kind} {spell.first_day} to {spell.last_day}"
            if spell
            else f"{person.name} ({person.id}) part-time, off every {day:%A}"
        )
        if key not in self.away_literals:
            literal = self.model.new_bool_var(key)
            self.away_literals[key] = literal
            self.assumptions[literal.index] = key
        return self.away_literals[key]

    # Soft goals, in priority order.

    def objectives(self) -> list[tuple[str, cp_model.LinearExprT, bool]]:
        """(name, expression, maximise?) from the highest priority down."""
        shortfall = [("staff-days short of cover", sum(self.short), False)] if self.short else []
        return shortfall + [
            ("owed days taken", sum(self.x.values()) + sum(self.absorbed), True),
            ("agreed standing days kept", self._agreed_kept(), True),
            (MOST_MOVES, self._most_moves(), False),
            ("days moved off a free standing day", sum(self.moves), False),
            ("preference (worst-off first)", self._fair_preference(), False),
            ("standing days lost to duty, leave or bank holidays", self._forced_moves(), False),
            ("absences spread across each week", self._weekly_spread(), False),
            ("largest displaced caseload", self._peak_displaced_caseload(), False),
            ("most duty days for one person", self._most_duty_days(), False),
        ]

    def _most_moves(self):
        """Moves shared: the most days any one worker has moved off a free standing day,
        minimised before the total, so one person does not give way every time."""
        if not self.moves_of:
            return 0
        most = self.model.new_int_var(0, max(map(len, self.moves_of.values())), "most_moves")
        for moves in self.moves_of.values():
            self.model.add(most >= sum(moves))
        return most

    def _agreed_kept(self):
        return sum(self.standing[p.id, p.agreed_day] for p in self.flexi if p.agreed_day)

    def _fair_preference(self):
        """Worst-off worker's preference penalty first (weighted above any total), then the
        total: the min-max spreads Mondays and Fridays rather than giving them to a few."""
        penalties = []
        for person in self.flexi:
            penalties.append(
                sum(
                    preference_penalty(person, slot.weekday) * literal
                    for (pid, slot), literal in self.standing.items()
                    if pid == person.id
                )
            )
        if not penalties:
            return 0
        bound = max(len(p.preferred_days) for p in self.flexi)
        worst = self.model.new_int_var(0, bound, "worst_preference")
        self.model.add_max_equality(worst, penalties)
        return worst * (bound * len(penalties) + 1) + sum(penalties)

    def _forced_moves(self):
        """Periods in which the chosen standing day is unavailable: between equally liked
        slots (week A or B, say) this picks the one that duty and leave disturb least."""
        terms = []
        for person in self.flexi:
            owed = [
                p for p in owed_periods(self.problem, person) if days_owed(self.problem, person, p)
            ]
            for slot in standing_slots(person):
                blocked = sum(
                    (person.id, period.day_of(slot, self.problem)) not in self.x for period in owed
                )
                terms.append(blocked * self.standing[person.id, slot])
        return sum(terms)

    def _absent_count(self, day: dt.date):
        fixed = sum(1 for p in self.problem.staff if self.problem.fixed_absence(p, day))
        return fixed + sum(self.x[p.id, day] for p in self.flexi if (p.id, day) in self.x)

    def _weekly_spread(self):
        """Sum over weeks of the most people absent on any day of that week: with the
        week's total fixed, a low peak means no day with many off while another has none."""
        size = len(self.problem.staff)
        by_week: dict[dt.date, list[dt.date]] = {}
        for day in self.problem.working_days:
            by_week.setdefault(day - dt.timedelta(days=day.weekday()), []).append(day)
        peaks = []
        for monday, days in by_week.items():
            peak = self.model.new_int_var(0, size, f"most_absent[{monday}]")
            for day in days:
                self.model.add(peak >= self._absent_count(day))
            peaks.append(peak)
        return sum(peaks)

    def _most_duty_days(self):
        """Named duty shared fairly: the most duty days any one person is given."""
        if not self.duty:
            return 0
        most = self.model.new_int_var(0, len(self.problem.working_days), "most_duty_days")
        for person in self.problem.staff:
            mine = [v for (pid, _), v in self.duty.items() if pid == person.id]
            if mine:
                self.model.add(most >= sum(mine))
        return most

    def _peak_displaced_caseload(self):
        """Largest caseload of absent workers on any working day, to be covered by the rest."""
        total = sum(p.caseload for p in self.problem.staff)
        peak = self.model.new_int_var(0, total, "peak_displaced_caseload")
        for day in self.problem.working_days:
            fixed = sum(
                p.caseload for p in self.problem.staff if self.problem.fixed_absence(p, day)
            )
            flexible = sum(
                p.caseload * self.x[p.id, day] for p in self.flexi if (p.id, day) in self.x
            )
            self.model.add(peak >= fixed + flexible)
        return peak
