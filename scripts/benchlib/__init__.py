"""scripts/bench.py's parts: the simulated reps (load), the servers (servers), the report (report)."""
