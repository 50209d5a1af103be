"""Target answer times (seeded by the data migration, kept in the admin) and working days."""

from datetime import date

import pytest

from assistance.models import TargetTime
from assistance.selectors.targets import add_working_days, due_on, working_days_for


@pytest.mark.parametrize(
    "start,days,expected",
    [
        (date(2026, 12, 7), 1, date(2026, 12, 8)),  # Monday + 1 = Tuesday
        (date(2026, 12, 11), 1, date(2026, 12, 14)),  # Friday + 1 = Monday
        (date(2026, 12, 11), 5, date(2026, 12, 18)),  # Friday + 5 = next Friday
        (date(2026, 12, 12), 1, date(2026, 12, 14)),  # Saturday + 1 = Monday
        (date(2026, 12, 13), 2, date(2026, 12, 15)),  # Sunday + 2 = Tuesday
        (date(2026, 12, 7), 0, date(2026, 12, 7)),
    ],
)
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.django_db
def test_defaults_are_seeded_for_every_category_and_urgency():
    assert TargetTime.objects.count() == 18
    assert working_days_for(category="legal", urgency="urgent") == 2
    assert working_days_for(category="fundraising", urgency="low") == 15


@pytest.mark.django_db
def test_staff_change_the_target_in_data():
    TargetTime.objects.filter(category="legal", urgency="normal").update(working_days=3)
    assert due_on(category="legal", urgency="normal", since=date(2026, 12, 10)) == date(2026, 12, 15)
