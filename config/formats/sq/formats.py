# Albanian: "20 Nëntor 2026, 23:02", short "20.11.2026 23:02". (Django's own module has no
# date-time format, so sq fell back to the English "N j, Y, P", and its short date was ISO.)
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
