"""What a process runs with: the teams configuration (teams.py, read from TOML by loading.py through
toml_readers.py), the environment (settings.py), the quiet-hours rule that reads them (quiet.py) and
the Runtime bundle the composition root builds (runtime.py)."""
