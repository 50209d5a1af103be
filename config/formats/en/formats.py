# English as it is written in Europe: "20 November 2026, 23:02", short "20 Nov 2026, 23:02" —
# never the American "11/20/2026 11:02 p.m." (the month's name keeps the short form unambiguous).
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
