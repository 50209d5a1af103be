"""Reads of the transparency platform reused by views, the API, tasks and other apps, one module per sub-domain."""
