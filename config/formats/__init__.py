"""The portal's date and time formats per language (settings.FORMAT_MODULE_PATH).

Only display formats are set here; what is missing falls back to Django's module for the
language, then to the settings. Every language writes the day before the month and the time
on the 24-hour clock, as people in Kosovo do: no "11/20/2026 11:02 p.m." anywhere.
"""
