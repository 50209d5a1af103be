# Serbian (Latin): "20. novembra 2026" (the month in the genitive, E, from locale_thirdparty),
# "20. novembra 2026. 23:02", short "20.11.2026" and "20.11.2026. 23:02". A date alone has no
# final full stop: our sentences end with "%(date)s.", which made "2026.." with Django's format.
DATE_FORMAT = "j. E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j. E Y. H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
