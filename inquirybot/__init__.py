"""inquirybot's entry points (CLI, serve, socket, tick, shell) and the composition root that builds
everything they share (bootstrap.py). See docs/layout.md."""
