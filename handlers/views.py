"""Modal submissions. The service runs before the acknowledgement so that a problem can be shown
inline on the field it concerns (response_action=errors) — the modal stays open, nothing stored.
After a success the modal closes, the card is redrawn where it was clicked, or the user is told."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.errors import FieldError, InputError
from bot.lifecycle import InquiryDraft, InquiryService, InquiryView
from bot.lifecycle.inputs import OUTCOME_KINDS
from bot.lifecycle.views import DisputeView
from bot.rendering import disputes as dispute_words
from bot.rendering import modals as f
from bot.rendering import replies
from bot.rendering.actions import View
from bot.rendering.replies import Reply
from bot.time.instant_error import InstantError
from handlers.actions import viewer_zone
from handlers.context import Deps, failure_reply, redraw, tell
from handlers.form_seal import intact, key_for
from handlers.home import HomeListeners
from handlers.payloads import Submission, Where, submission
from handlers.replays import release

# Which form field an error message is about, by the words the service uses in its messages.
FIELD_WORDS: tuple[tuple[str, str], ...] = (
    ("due reason", f.DUE_REASON),
    ("reason", f.DUE_REASON),
    ("received", f.RECEIVED),
    ("expect", f.EXPECT),
    ("due", f.DUE),
    ("new assignee", f.REASSIGN_TO),
    ("already assigned", f.REASSIGN_TO),
    ("assignee", f.ASSIGNEE),
    ("customer name", f.CUSTOMER_NAME),
    ("customer contact", f.CUSTOMER_CONTACT),
    ("subject", f.SUBJECT),
    ("kind", f.KIND),
    ("complexity", f.COMPLEXITY),
    ("score", f.SCORE),
    ("comment", f.COMMENT),
    ("note", f.NOTE),
    ("absence start", f.AWAY_START),
    ("absence end", f.AWAY_END),
    ("alternate", f.ALTERNATE),
)
AWAY_FIELDS = (f.AWAY_START, f.AWAY_END, f.ALTERNATE)
NEW_FIELDS = (
    f.SUBJECT,
    f.KIND,
    f.CUSTOMER_NAME,
    f.CUSTOMER_CONTACT,
    f.RECEIVED,
    f.COMPLEXITY,
    f.ASSIGNEE,
    f.DUE,
    f.DUE_REASON,
)


def field_for(message: str, fields: Sequence[str]) -> str:
    """The form field the message names first ("due … is before the inquiry was received" is about due)."""
    lowered = message.lower()
    found = [
        (lowered.find(words), -len(words), name)
        for words, name in FIELD_WORDS
        if name in fields and words in lowered
    ]
    return min(found)[2] if found else fields[0]


def inline_errors(exc: Exception, fields: Sequence[str], tz: str | None = None) -> dict[str, str]:
    """The error on the field it is about; instants in it in the reader's zone (docs/record.md)."""
    reply = failure_reply(exc)
    text = str(exc) if isinstance(exc, InputError) else reply.text
    if isinstance(exc, InstantError) and tz:
        text = exc.for_reader(tz)
    if isinstance(exc, FieldError) and exc.field in fields:
        return {exc.field: text[:300]}
    return {field_for(text, fields): text[:300]}


def read_draft(form: Submission) -> InquiryDraft:
    return InquiryDraft(
        kind=form.option(f.KIND) or "",
        subject=form.text(f.SUBJECT) or "",
        customer_name=form.text(f.CUSTOMER_NAME),
        customer_contact=form.text(f.CUSTOMER_CONTACT),
        received_at=form.instant(f.RECEIVED),
        complexity=form.option(f.COMPLEXITY) or "standard",
        needs_research="yes" in form.checked(f.NEEDS_RESEARCH),
        assignee=form.user(f.ASSIGNEE),
        due=form.instant(f.DUE),
        due_reason=form.text(f.DUE_REASON),
        source_link=form.meta("l"),
    )


def outcome_of(form: Submission) -> tuple[int, str | None]:
    """The item and outcome kind a dispute form is about (its private_metadata: "i", "k"); lost or
    garbled, the form says so rather than acting on some other outcome."""
    inquiry_id, kind = form.inquiry_id("i"), form.metadata.get("k")
    if not inquiry_id or not (kind is None or kind in OUTCOME_KINDS):
        raise InputError(replies.FORM_WITHOUT_ITEM)
    return inquiry_id, kind


def _card(render: Callable[[InquiryView, str], Reply]) -> Callable[[InquiryView, str, Submission], Reply]:
    return lambda view, tz, form: render(view, tz)


class ViewListeners:
    def __init__(self, deps: Deps, home: HomeListeners):
        self.deps = deps
        self.home = home

    def register(self, app: App) -> None:
        app.view(str(View.NEW_INQUIRY))(self.new_inquiry)
        app.view(str(View.ACKNOWLEDGE))(self.acknowledge)
        app.view(str(View.POST_UPDATE))(self.update)
        app.view(str(View.RESOLVE))(self.resolve)
        app.view(str(View.REASSIGN))(self.reassign)
        app.view(str(View.RATE))(self.rate)
        app.view(str(View.AWAY))(self.away)
        app.view(str(View.DISPUTE))(self.dispute)
        app.view(str(View.DECIDE))(self.decide)

    def _refuse(self, ack: Ack, exc: Exception, fields: Sequence[str], user_id: str) -> None:
        """Keep the form open with the error on its field, worded for whoever submitted it."""
        ack(response_action="errors", errors=inline_errors(exc, fields, self.deps.zones.zone_for(user_id)))

    def new_inquiry(
        self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None
    ) -> None:
        form = submission(body)
        try:
            view = self.deps.service.log(actor=form.user_id, draft=read_draft(form))
        except Exception as exc:
            release(self.deps, context)
            self._refuse(ack, exc, NEW_FIELDS, form.user_id)
            return
        ack()

        def confirm() -> None:
            tz = self.deps.zones.zone_for(form.user_id)
            tell(
                self.deps,
                client,
                form.user_id,
                replies.logged(view, tz, form.user_id),
                channel=form.meta("c"),
            )
            self.deps.changed()

        self.deps.later(confirm)

    def away(self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None) -> None:
        form = submission(body)
        try:
            self.deps.service.away(
                actor=form.user_id,
                start=form.instant(f.AWAY_START),
                end=form.instant(f.AWAY_END),
                alternate=form.user(f.ALTERNATE) or "",
            )
        except Exception as exc:
            release(self.deps, context)
            self._refuse(ack, exc, AWAY_FIELDS, form.user_id)
            return
        ack()

        def show() -> None:
            self.home.publish(client, form.user_id)
            self.deps.changed()

        self.deps.later(show)

    def dispute(self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None) -> None:
        form = submission(body)

        def act(reason: str) -> DisputeView:
            inquiry_id, kind = outcome_of(form)
            return self.deps.disputes.dispute(
                actor=form.user_id, inquiry_id=inquiry_id, reason=reason, kind=kind
            )

        self._dispute_form(ack, client, context, form, f.DISPUTE_REASON, act, dispute_words.disputed)

    def decide(self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None) -> None:
        """A supervisor's Uphold / Void form."""
        form = submission(body)

        def act(reason: str) -> DisputeView:
            inquiry_id, kind = outcome_of(form)
            decision = form.meta("d")
            if decision not in ("uphold", "void"):  # never a void (or an upholding) nobody chose
                raise InputError(replies.FORM_WITHOUT_ITEM)
            return self.deps.disputes.decide(
                actor=form.user_id, inquiry_id=inquiry_id, decision=decision, reason=reason, kind=kind
            )

        self._dispute_form(ack, client, context, form, f.DECISION_REASON, act, dispute_words.decided)

    def _dispute_form(
        self,
        ack: Ack,
        client: WebClient,
        context: BoltContext | None,
        form: Submission,
        field: str,
        act: Callable[[str], DisputeView],
        words: Callable[[DisputeView, str | None], Reply],
    ) -> None:
        """A dispute form from App Home (opening one, or deciding one): done with the reason in
        `field`, the submitter told in their zone and their home redrawn; or kept open with the
        refusal on that field (which changed nothing: its corrected resend goes through)."""
        try:
            view = act(form.text(field) or "")
        except Exception as exc:
            release(self.deps, context)
            self._refuse(ack, exc, (field,), form.user_id)
            return
        ack()

        def show() -> None:
            tell(self.deps, client, form.user_id, words(view, self.deps.zones.zone_for(form.user_id)))
            self.home.publish(client, form.user_id)
            self.deps.changed()

        self.deps.later(show)

    def acknowledge(
        self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None
    ) -> None:
        self.act(
            ack,
            body,
            client,
            context,
            (f.EXPECT, f.NOTE),
            self._linked(replies.acknowledged),
            lambda s, form, i: s.acknowledge(
                actor=form.user_id, inquiry_id=i, expect=form.instant(f.EXPECT), note=form.text(f.NOTE)
            ),
        )

    def update(self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None) -> None:
        self.act(
            ack,
            body,
            client,
            context,
            (f.NOTE, f.EXPECT),
            _card(replies.updated),
            lambda s, form, i: s.update(
                actor=form.user_id, inquiry_id=i, note=form.text(f.NOTE) or "", expect=form.instant(f.EXPECT)
            ),
        )

    def resolve(self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None) -> None:
        self.act(
            ack,
            body,
            client,
            context,
            (f.NOTE,),
            self._linked(replies.resolved),
            lambda s, form, i: s.resolve(actor=form.user_id, inquiry_id=i, note=form.text(f.NOTE)),
        )

    def reassign(self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None) -> None:
        self.act(
            ack,
            body,
            client,
            context,
            (f.REASSIGN_TO,),
            _card(replies.reassigned),
            lambda s, form, i: s.reassign(
                actor=form.user_id, inquiry_id=i, to=form.user(f.REASSIGN_TO) or ""
            ),
        )

    def rate(self, ack: Ack, body: dict, client: WebClient, context: BoltContext | None = None) -> None:
        def record(s: InquiryService, form: Submission, i: int) -> InquiryView:
            return s.feedback(
                actor=form.user_id,
                inquiry_id=i,
                score=form.number(f.SCORE) or 0,
                comment=form.text(f.COMMENT),
            )

        self.act(
            ack,
            body,
            client,
            context,
            (f.SCORE, f.COMMENT),
            lambda view, tz, form: replies.feedback(view, form.number(f.SCORE) or 0, tz),
            record,
        )

    def _linked(
        self, render: Callable[[InquiryView, str], Reply]
    ) -> Callable[[InquiryView, str, Submission], Reply]:
        """After an acknowledgement or a resolution: the card carries the customer's feedback link."""
        return lambda view, tz, form: render(self.deps.as_seen_by(view, form.user_id), tz)

    def act(
        self,
        ack: Ack,
        body: dict,
        client: WebClient,
        context: BoltContext | None,
        fields: Sequence[str],
        render: Callable[[InquiryView, str, Submission], Reply],
        change: Callable[[InquiryService, Submission, int], InquiryView],
    ) -> None:
        form = submission(body)
        where = Where.from_dict(form.metadata.get("w"))
        try:
            if not form.inquiry_id():  # private_metadata lost or forged: no item to change
                raise InputError(replies.FORM_WITHOUT_ITEM)
            key = key_for(self.deps.runtime.settings)
            if where.surface == "message" and not intact(
                key, form.inquiry_id(), form.metadata.get("w"), form.metadata.get("s")
            ):  # the place to redraw was changed after the form opened (handlers/form_seal.py)
                raise InputError(replies.FORM_RETARGETED)
            view = change(self.deps.service, form, form.inquiry_id())
        except Exception as exc:
            release(self.deps, context)
            self._refuse(ack, exc, fields, form.user_id)
            return
        ack()

        def show() -> None:
            reply = render(view, viewer_zone(self.deps, where, form.user_id, view.team), form)
            if where.surface == "none":
                tell(self.deps, client, form.user_id, reply)
            else:
                redraw(self.deps, client, where, form.user_id, reply, self.home.publish)
            self.deps.changed()

        self.deps.later(show)
