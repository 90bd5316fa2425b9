"""Delivery: the outbox every message to Slack is written to first, and the deliverer that sends
due rows through a Sender and records the outcome (see docs/scheduling.md)."""
