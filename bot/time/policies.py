"""Deadline policies (docs/business-time.md): presets `department` and `ita`, custom ones from config, and the
established-deadline override. A policy applied to an inquiry gives a DeadlinePlan: every deadline
with the facts and plain-English reasons behind it, to be stored with the inquiry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from bot.errors import ConfigError, InputError
from bot.time.calendar import BusinessCalendar
from bot.time.deadline_plan import DeadlinePlan, explain
from bot.time.durations import Duration, parse_duration
from bot.time.instant_error import InstantError

__all__ = ["KINDS", "PRESETS", "DeadlinePlan", "Policy", "Rule", "policy_from_config", "preset"]

KINDS = ("email", "phone", "written", "in-person", "slack", "other")
_KIND_WORDS = {
    "email": "email",
    "phone": "phone call",
    "written": "written request",
    "in-person": "in-person request",
    "slack": "Slack message",
    "other": "other inquiry",
}
_POLICY_KEYS = ("default", "research", "target", "target_research", "kinds")
_KIND_KEYS = ("default", "research", "target", "target_research")


@dataclass(frozen=True)
class Rule:
    """A first-response window and, optionally, an earlier target (the first nudge point)."""

    due: Duration
    target: Duration | None = None


@dataclass(frozen=True)
class Policy:
    name: str
    default: Rule
    research: Rule
    # kind -> (rule without research, rule with research); other kinds use default/research.
    kinds: Mapping[str, tuple[Rule, Rule]] = field(default_factory=dict, hash=False)

    def rule_for(self, kind: str, needs_research: bool) -> Rule:
        pair = self.kinds.get(_check_kind(kind))
        if pair is not None:
            return pair[bool(needs_research)]
        return self.research if needs_research else self.default

    def describe(self, kind: str, needs_research: bool) -> str:
        """Short human name of the rule, e.g. 'department: email within 1 business day'."""
        rule = self.rule_for(kind, needs_research)
        what = _KIND_WORDS[kind] + (" needing research" if needs_research else "")
        target = f" (target {rule.target})" if rule.target else ""
        return f"{self.name}: {what} within {rule.due}{target}"

    def plan(
        self,
        calendar: BusinessCalendar,
        *,
        kind: str,
        needs_research: bool,
        received_at: datetime,
        established_deadline: datetime | None = None,
        reason: str | None = None,
        explained: bool = True,
    ) -> DeadlinePlan:
        """Every deadline of an inquiry received at `received_at`, with the reasons.

        An established deadline (from a supervisor or program) overrides the rule and must carry
        its reason; the rule's own answer is still recorded as `policy_due`.
        """
        if not isinstance(needs_research, bool):
            raise InputError(f"needs_research: {needs_research!r} must be true or false")
        rule = self.rule_for(kind, needs_research)
        received = _aware("received_at", received_at).astimezone(calendar.tz)
        clock_start = calendar.next_opening(received)
        policy_due = rule.due.apply(calendar, received)
        target = rule.target.apply(calendar, received) if rule.target else None
        described = self.describe(kind, needs_research)

        skipped: Sequence[tuple[date, str]]
        if established_deadline is None:
            if reason is not None and str(reason).strip():
                raise InputError(
                    f"reason {reason!r} was given without an established deadline; "
                    "give both (due Friday 5pm because <reason>) or neither",
                    example="/inquiry log email Records request; due Friday 5pm because program office deadline",
                )
            due, rule_name, reason = policy_due, described, None
            skipped = _skipped_days(calendar, rule.due, received, due)
        else:
            due = _aware("established_deadline", established_deadline).astimezone(calendar.tz)
            if not isinstance(reason, str) or not reason.strip():
                raise InputError(
                    "an established deadline needs a reason (who set it and why): due <when> because <reason>",
                    example="/inquiry log email Records request; due Friday 5pm because program office deadline",
                )
            if due < received:
                raise InstantError(
                    "established deadline {due} is before the inquiry was received ({received}); "
                    "give a deadline at or after receipt",
                    {"due": due, "received": received},
                    tz=calendar.tz.key,
                )
            rule_name, reason, skipped = f"established deadline (overrides {described})", reason.strip(), ()

        if target is not None and target >= due:
            target = None  # a nudge point at or after the deadline is no target
        plan = DeadlinePlan(
            policy=self.name,
            rule=rule_name,
            received_at=received,
            clock_start=clock_start,
            first_response_due=due,
            target_due=target,
            established=established_deadline is not None,
            reason=reason,
            explanation=(),
            kind=kind,
            needs_research=needs_research,
            duration=str(rule.due),
            target_duration=str(rule.target) if target is not None else None,
            policy_due=policy_due,
            closed_days=tuple(skipped),
            calendar=calendar.facts(),
        )
        # explained=False: a re-plan of thousands (bot/lifecycle/replan.py) stores the facts only;
        # `explain` derives the same lines from them when asked.
        return plan.with_explanation(explain(plan, described)) if explained else plan


def _skipped_days(
    calendar: BusinessCalendar, duration: Duration, received: datetime, due: datetime
) -> list[tuple[date, str]]:
    """Closed days the deadline was pushed past. Calendar days count closed days as days, so only
    the roll-forward at the end skips any."""
    if duration.unit == "calendar_days":
        nominal = received.date().toordinal() + duration.amount
        return [
            (day, why)
            for day, why in calendar.closed_days_between(received, due)
            if day.toordinal() >= nominal
        ]
    return calendar.closed_days_between(received, due)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of {', '.join(KINDS)}", example="email")
    return kind


def _aware(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InputError(f"{name}: {value!r} must be a timezone-aware datetime")
    return value


def policy_from_config(name: str, table: Mapping) -> Policy:
    """A policy from its config table (docs/business-time.md, "Policies", shows the shape)."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"policy name {name!r} must be a non-empty string")
    where = f"policies.{name}"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: expected a table of rules, got {table!r}")
    _no_unknown_keys(where, table, _POLICY_KEYS)
    kinds_table = table.get("kinds", {})
    if not isinstance(kinds_table, Mapping):
        raise ConfigError(f"{where}.kinds: expected a table of kind = rule, got {kinds_table!r}")
    kinds: dict[str, tuple[Rule, Rule]] = {}
    for kind, value in kinds_table.items():
        if kind not in KINDS:
            raise ConfigError(f"{where}.kinds: unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
        if isinstance(value, str):
            same = Rule(parse_duration(value, field=f"{where}.kinds.{kind}", positive=True))
            kinds[kind] = (same, same)
        elif isinstance(value, Mapping):
            _no_unknown_keys(f"{where}.kinds.{kind}", value, _KIND_KEYS)
            kinds[kind] = _rule_pair(f"{where}.kinds.{kind}", value)
        else:
            raise ConfigError(f"{where}.kinds.{kind}: {value!r} is neither a duration nor a table of rules")
    default, research = _rule_pair(where, table)
    return Policy(name, default, research, MappingProxyType(kinds))


def _rule_pair(where: str, table: Mapping) -> tuple[Rule, Rule]:
    for key in ("default", "research"):
        if key not in table:
            example = "1 business day" if key == "default" else "2 business days"
            raise ConfigError(f'{where}: missing rule {key!r}; e.g. {key} = "{example}"')

    def duration(key: str) -> Duration | None:
        return parse_duration(table[key], field=f"{where}.{key}", positive=True) if key in table else None

    def required(key: str) -> Duration:  # checked present above
        return parse_duration(table[key], field=f"{where}.{key}")

    return Rule(required("default"), duration("target")), Rule(
        required("research"), duration("target_research")
    )


def _no_unknown_keys(where: str, table: Mapping, known: tuple[str, ...]) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r}; known keys: {', '.join(known)}")


# The two presets (docs/business-time.md), written in the same shape as a custom policy in config.
PRESET_TABLES: Mapping[str, Mapping] = MappingProxyType(
    {
        "department": {
            "default": "1 business day",
            "research": "2 business days",
            "kinds": {"written": "7 calendar days"},
        },
        "ita": {
            "default": "16 business hours",
            "research": "48 business hours",
            "target_research": "24 business hours",
        },
    }
)
PRESETS: Mapping[str, Policy] = MappingProxyType(
    {name: policy_from_config(name, table) for name, table in PRESET_TABLES.items()}
)


def preset(name: str) -> Policy:
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown policy preset {name!r}; known presets: {', '.join(PRESETS)}") from None
