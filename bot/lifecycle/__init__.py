"""The inquiry lifecycle service: log, acknowledge, update, resolve, close, reassign, escalate,
snooze, feedback, absence — each one transaction, returning frozen views."""

from bot.lifecycle.service import InquiryService
from bot.lifecycle.views import AbsenceView, DeadlineView, InquiryDraft, InquiryView

__all__ = ["AbsenceView", "DeadlineView", "InquiryDraft", "InquiryService", "InquiryView"]
