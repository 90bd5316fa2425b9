"""inquirybot domain: time and policies, config, lifecycle, commands, reports, scheduling, delivery,
rendering. Nothing in this package imports slack_bolt, slack_sdk, sqlalchemy or handlers/
(docs/layout.md).
"""
