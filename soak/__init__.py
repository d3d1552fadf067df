"""`make soak`: the multi-process set-up under load and faults, judged (run.py). Not run by pytest."""
