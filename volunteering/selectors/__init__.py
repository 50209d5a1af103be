"""Reads of volunteering reused by views, the API, tasks and other apps."""
