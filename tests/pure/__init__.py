"""Pure tests: business calendars, holidays and policies, parsing and dates, rendering and how time is
written, the manifest, the signature scheme, platform settings and config gathering, the
accessibility rules and the import layering. No database, no server."""
