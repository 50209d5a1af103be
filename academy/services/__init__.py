"""The academy's writes: applications (applications.py), reviews and selection
(selection.py), running a cohort (running.py)."""
