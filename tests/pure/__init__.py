"""Pure tests: parsing, rendering, the manifest, the signature scheme, platform settings, the
accessibility rules and the import layering. No database, no server."""
