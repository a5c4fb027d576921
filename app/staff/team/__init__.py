"""The team: staff accounts invited, given a role, disabled, enabled and reset, by an
officer on the Team page (views.py) or by command (app/commands.py), through the same
functions (lifecycle.py)."""
