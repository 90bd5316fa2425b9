"""inquirybot domain: time and policies, config, lifecycle, commands, reports, scheduling, delivery,
rendering. Nothing in this package imports Bolt, the Slack SDK, SQLAlchemy or handlers/
(docs/layout.md).
"""
