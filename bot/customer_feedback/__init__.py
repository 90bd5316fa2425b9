"""Customers rate the service themselves: a private link per inquiry and the page behind it
(docs/customer-feedback.md). Domain only: storage through storage/queries, HTTP in handlers/."""

from bot.customer_feedback.links import FeedbackLink, FeedbackLinks
from bot.customer_feedback.page import CustomerPage, PageInfo, Submitted

__all__ = ["CustomerPage", "FeedbackLink", "FeedbackLinks", "PageInfo", "Submitted"]
