"""Every write of the help desk: requests and their moves (requests.py), the thread
(messages.py), files (attachments.py), the knowledge base (knowledge.py)."""
