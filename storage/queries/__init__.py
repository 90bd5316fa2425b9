"""Keyword-only data-access functions. Each takes an explicit session; none commits."""
