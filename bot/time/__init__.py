"""Time as the rules count it: the one clock, business calendars and US federal holidays,
business-time durations, and the response policies (deadline plans) measured in them."""
