"""Pages of the help desk: requester.py (ask, my requests, the request page and its thread,
files, close and rate, consent), expert.py (inbox, start, answer), staff.py (triage, assign,
decline, publish to the knowledge base), knowledge.py (the public knowledge base)."""
