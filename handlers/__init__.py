"""Slack listeners: read the payload, call the domain, render the reply."""
