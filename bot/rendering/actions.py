"""Every Block Kit action_id and view callback_id, in one place (handlers and renderers share them)."""

from enum import StrEnum


class Action(StrEnum):
    ACKNOWLEDGE = "inquiry_acknowledge"
    POST_UPDATE = "inquiry_post_update"
    RESOLVE = "inquiry_resolve"
    SNOOZE_1H = "inquiry_snooze_1h"
    REASSIGN = "inquiry_reassign"
    RATE = "inquiry_rate"
    OPEN_NEW = "inquiry_open_new"
    SET_AWAY = "absence_set_away"
    BACK = "absence_back"
    DISPUTE = "outcome_dispute"
    UPHOLD = "outcome_uphold"
    VOID = "outcome_void"


class View(StrEnum):
    NEW_INQUIRY = "inquiry_new"
    POST_UPDATE = "inquiry_update_form"
    ACKNOWLEDGE = "inquiry_ack_form"
    REASSIGN = "inquiry_reassign_form"
    RESOLVE = "inquiry_resolve_form"
    RATE = "inquiry_rate_form"
    AWAY = "absence_away_form"
    DISPUTE = "outcome_dispute_form"
    DECIDE = "outcome_decide_form"


class Shortcut(StrEnum):
    LOG_MESSAGE = "log_as_inquiry"
