"""`inquirybot shell`: the real Bolt app and handlers, driven from a terminal, no Slack workspace."""
