"""Filling in a form (modal) in the shell, field by field, as Slack's client would (docs/shell.md).

The shell asks for each input of the modal in turn. What Slack's client checks before it sends a
form (a required field left empty, text over its length, a choice not in the list, a date it
cannot read, a person it does not know) is checked here and the field asked again. The form then
goes to the app as Slack sends it (a signed `view_submission` with `state.values`), so the app's
own inline validation (`response_action: errors`) decides the rest: the shell shows each error on
its field and asks those fields again, keeping the other answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.errors import InputError
from bot.rendering import modals as m

# A datetimepicker's answer is read as a date in words; these say which way an ambiguous date
# leans and what a date without a time means for that field.
PAST_FIELDS = {m.RECEIVED, m.AWAY_START}
CLOSE_OF_DAY_FIELDS = {m.DUE, m.EXPECT}
CLEAR = "-"  # typed to empty an optional field that shows a value

State = dict[str, Any]  # one element's state, as Slack sends it in view.state.values
EMPTY: dict[str, State] = {  # each element's state when nothing was chosen or typed
    "plain_text_input": {"value": None},
    "static_select": {"selected_option": None},
    "users_select": {"selected_user": None},
    "datetimepicker": {"selected_date_time": None},
    "datepicker": {"selected_date": None},
    "checkboxes": {"selected_options": []},
}


@dataclass(frozen=True)
class Field:
    name: str  # block_id and action_id (our forms use the same name for both)
    label: str
    element: dict[str, Any]
    optional: bool

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))

    def options(self) -> list[tuple[str, str]]:
        """(value, label) of each choice of a select or checkboxes."""
        return [
            (str(o.get("value", "")), str((o.get("text") or {}).get("text", "")))
            for o in self.element.get("options", [])
        ]

    def empty(self) -> State:
        empty: dict[str, Any] = EMPTY.get(self.kind, {"value": None})
        return {"type": self.kind, **empty}

    def initial(self) -> State:
        el, state = self.element, self.empty()
        if self.kind == "plain_text_input" and el.get("initial_value"):
            state["value"] = el["initial_value"]
        elif self.kind == "static_select" and el.get("initial_option"):
            state["selected_option"] = el["initial_option"]
        elif self.kind == "users_select" and el.get("initial_user"):
            state["selected_user"] = el["initial_user"]
        elif self.kind == "datetimepicker" and el.get("initial_date_time"):
            state["selected_date_time"] = int(el["initial_date_time"])
        elif self.kind == "datepicker" and el.get("initial_date"):
            state["selected_date"] = el["initial_date"]
        elif self.kind == "checkboxes" and el.get("initial_options"):
            state["selected_options"] = list(el["initial_options"])
        return state


def is_filled(state: State) -> bool:
    return any(v not in (None, "", []) for k, v in state.items() if k != "type")


@dataclass(frozen=True)
class Reader:
    """What the shell knows to read an answer: people by name, and the user's clock and zone."""

    user: Callable[[str], str]  # '@bob' -> 'U0BOB' (InputError if unknown)
    name: Callable[[str], str]  # 'U0BOB' -> 'bob'
    date: Callable[[str, Field], datetime]  # (text, field) -> aware UTC instant (InputError)
    show_date: Callable[[datetime], str]
    show_text: Callable[[str], str]  # Slack markup as a person reads it (<@U0BOB> -> @bob)


@dataclass
class FormFill:
    view: dict[str, Any]
    view_id: str
    fields: list[Field]
    values: dict[str, State]
    pending: list[Field] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # the app's inline errors, by field

    @classmethod
    def of(cls, view: dict[str, Any], view_id: str) -> FormFill | None:
        """A form to fill in, or None for a modal with nothing to submit (a notice)."""
        fields = [
            Field(
                str(b.get("block_id", "")),
                str((b.get("label") or {}).get("text", "")),
                dict(b.get("element") or {}),
                bool(b.get("optional")),
            )
            for b in view.get("blocks", [])
            if b.get("type") == "input"
        ]
        if not view.get("submit") or not fields:
            return None
        return cls(view, view_id, fields, {f.name: f.initial() for f in fields}, list(fields))

    @property
    def title(self) -> str:
        return str((self.view.get("title") or {}).get("text", "form"))

    @property
    def current(self) -> Field | None:
        return self.pending[0] if self.pending else None

    def question(self, reader: Reader) -> str:
        f = self.current
        assert f is not None
        notes = []
        if f.kind in ("static_select", "checkboxes"):
            notes.append(
                ", ".join(value for value, _ in f.options()) if f.kind == "static_select" else "yes/no"
            )
        elif f.kind == "users_select":
            notes.append("@name")
        elif f.kind in ("datetimepicker", "datepicker"):
            notes.append("a date, e.g. Friday 5pm")
        if f.optional:
            notes.append(f"optional, {CLEAR} leaves it empty")
        shown = self.shown(f, reader)
        default = f" [{shown}]" if shown else ""
        extra = f" ({'; '.join(notes)})" if notes else ""
        return f"{self.title} · {f.label}{extra}{default}: "

    def shown(self, f: Field, reader: Reader) -> str:
        """The field's value as a person reads it (what Enter keeps)."""
        state = self.values[f.name]
        if not is_filled(state):
            return ""
        if f.kind == "static_select":
            return str(state["selected_option"].get("value", ""))
        if f.kind == "users_select":
            return "@" + reader.name(state["selected_user"])
        if f.kind == "datetimepicker":
            return reader.show_date(datetime.fromtimestamp(int(state["selected_date_time"]), tz=UTC))
        if f.kind == "checkboxes":
            return "yes"
        text = reader.show_text(str(state.get("value") or state.get("selected_date") or ""))
        return text if len(text) <= 72 else text[:71] + "…"

    def answer(self, text: str, reader: Reader) -> None:
        """Take the answer to the current field; InputError (the field is asked again) if Slack's
        client would not accept it."""
        f = self.current
        assert f is not None
        typed = text.strip()
        if typed == CLEAR:
            if not f.optional:
                raise InputError(f"{f.label} is required; it cannot be left empty")
            self.values[f.name] = f.empty()
        elif typed:
            self.values[f.name] = read_answer(f, typed, reader)
        elif not f.optional and not is_filled(self.values[f.name]):
            raise InputError(f"{f.label} is required; type a value (or :cancel to close the form)")
        self.errors.pop(f.name, None)
        self.pending.pop(0)

    def state(self) -> dict[str, State]:
        return dict(self.values)

    def ask_again(self, errors: dict[str, str]) -> None:
        """The app refused the form: ask the fields it named again (in the form's order)."""
        self.errors = {str(k): str(v) for k, v in errors.items()}
        self.pending = [f for f in self.fields if f.name in self.errors] or list(self.fields)

    def label(self, name: str) -> str:
        return next((f.label for f in self.fields if f.name == name), name)


def read_answer(f: Field, typed: str, reader: Reader) -> State:
    state = f.empty()
    if f.kind == "plain_text_input":
        limit = int(f.element.get("max_length") or 3000)
        if len(typed) > limit:
            raise InputError(f"{f.label} is at most {limit} characters; that was {len(typed)}")
        state["value"] = typed
    elif f.kind == "static_select":
        wanted = typed.lower()
        options = f.element.get("options", [])
        chosen = [o for o in options if wanted == str(o.get("value", "")).lower()] or [
            o for o in options if str((o.get("text") or {}).get("text", "")).lower().startswith(wanted)
        ]
        if not chosen:
            choices = ", ".join(value for value, _ in f.options())
            raise InputError(f"{f.label} “{typed}” is not one of the choices: {choices}")
        state["selected_option"] = chosen[0]
    elif f.kind == "users_select":
        state["selected_user"] = reader.user(typed)
    elif f.kind == "datetimepicker":
        state["selected_date_time"] = int(reader.date(typed, f).timestamp())
    elif f.kind == "datepicker":
        state["selected_date"] = reader.date(typed, f).date().isoformat()
    elif f.kind == "checkboxes":
        if typed.lower() in ("yes", "y", "on", "true"):
            state["selected_options"] = list(f.element.get("options", []))[:1]
        elif typed.lower() not in ("no", "n", "off", "false"):
            raise InputError(f"{f.label}: answer yes or no")
    else:
        state["value"] = typed
    return state
