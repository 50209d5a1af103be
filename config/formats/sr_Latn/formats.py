# Serbian (Latin): "20. novembar 2026. 23:02", short "20.11.2026. 23:02" (the year ends with
# a full stop). The same as Django's module today; kept here so that the portal's formats are
# all in one place and do not move with Django.
DATE_FORMAT = "j. F Y."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j. F Y. H:i"
YEAR_MONTH_FORMAT = "F Y."
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y."
SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
