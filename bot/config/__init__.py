"""What a process runs with: the teams configuration (TOML, teams.py), the environment
(settings.py), the quiet-hours rule that reads them (quiet.py) and the Runtime bundle the composition
root builds (runtime.py)."""
