"""Slack, stood in for on localhost: the Web API the bot calls (webapi.py), the requests Slack sends
the bot (requests.py, signed as Slack signs them: signing.py). The shell runs on it; the tests use
the same one, extended with fault injection and waiting (tests/slack/faults.py)."""
