"""Scheduling: what falls due when (the reminder ladder, weekly digests) and the named jobs that act
on it, run by `inquirybot tick` or the background thread in serve/socket (see docs/scheduling.md)."""
