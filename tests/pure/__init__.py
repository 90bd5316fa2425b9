"""Pure tests: parsing, rendering, the manifest and the signature scheme. No database, no server."""
