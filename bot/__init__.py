"""inquirybot domain: calendar, policies, lifecycle, scheduler, reports, rendering, config, CLI.

Nothing in this package imports slack_bolt or slack_sdk (see STYLE: three rooms, one direction).
"""
