"""Acme's checks for repo-scorecard (an example plugin: see the README, "Writing a check")."""
