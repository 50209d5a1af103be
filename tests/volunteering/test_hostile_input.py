"""Hostile input on volunteering's forms: malformed hours (negative, not a number, more than a
day, days in the future or before the engagement, absurd dates), a form sent twice, and ids of
someone else's hours and applications. Each is a 4xx that saves nothing and changes nothing
already saved."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import login
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, editor_of, engagement
from volunteering.models import Application, HoursEntry
from volunteering.services import applications, engagements

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate


def _post_hours(client, eng, **data):
    return client.post(
        reverse("volunteering:hours_log", kwargs={"pk": eng.pk}),
        {"date": TODAY().isoformat(), "hours": "2", "description": "Class", **data},
    )


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("hours", "-1", "Hours must be more than zero."),
        ("hours", "0", "Hours must be more than zero."),
        ("hours", "25", "No more than 24 hours in one day."),
        ("hours", "24.01", "No more than 24 hours in one day."),
        ("hours", "NaN", "Enter a number."),
        ("hours", "Infinity", "Enter a number."),
        ("hours", "1e3", "Ensure that there are no more than"),
        ("hours", "", "This field is required."),
        ("date", "9999-12-31", "Hours cannot be logged for a day in the future."),
        ("date", "0001-01-01", "Hours can be logged only from the start of the engagement."),
        ("date", "2026-02-30", "Enter a valid date."),
        ("date", "tomorrow", "Enter a valid date."),
        ("description", "   ", "This field is required."),
    ],
)
def test_malformed_hours_are_a_400_that_saves_nothing(client, field, value, says):
    eng, _editor, volunteer = engagement()
    login(client, volunteer)
    response = _post_hours(client, eng, **{field: value})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_hours_before_the_engagement_began_are_refused(client):
    eng, _editor, volunteer = engagement()
    eng.created_at = timezone.now() - datetime.timedelta(days=10)
    eng.save(update_fields=["created_at"])
    login(client, volunteer)
    response = _post_hours(client, eng, date=(TODAY() - datetime.timedelta(days=12)).isoformat())
    assert response.status_code == 400
    assert "Hours can be logged only from the start of the engagement." in response.content.decode()
    assert (
        _post_hours(client, eng, date=(TODAY() - datetime.timedelta(days=10)).isoformat()).status_code == 302
    )
    assert HoursEntry.objects.count() == 1


def test_a_day_of_25_hours_over_two_forms_is_refused_and_the_first_kept(client):
    eng, _editor, volunteer = engagement()
    login(client, volunteer)
    assert _post_hours(client, eng, hours="20", description="Long day").status_code == 302
    response = _post_hours(client, eng, hours="5", description="Evening")
    assert response.status_code == 400
    assert "With the 20 hours already logged that day, this is more than 24." in response.content.decode()
    assert list(HoursEntry.objects.values_list("hours", flat=True)) == [20]


def test_the_hours_of_the_day_are_written_as_the_language_writes_them(client):
    """The refusal wrote 20 hours as "2E+1" (Decimal.normalize) and 2.5 as 2.5 in Albanian."""
    from django.utils import translation

    from volunteering.services.engagements import _hours_text

    assert _hours_text(Decimal("20.00")) == "20"
    with translation.override("sq"):
        assert _hours_text(Decimal("22.50")) == "22,5"


def test_the_hours_form_sent_twice_logs_the_hours_once(client):
    """A double click on "Log hours" sent the same entry twice: the organisation was asked to
    confirm 4 hours for 2."""
    eng, _editor, volunteer = engagement()
    login(client, volunteer)
    assert _post_hours(client, eng, hours="2", description="Class").status_code == 302
    response = _post_hours(client, eng, hours="2", description="Class")
    assert response.status_code == 400
    assert "These hours are already logged for that day." in response.content.decode()
    assert HoursEntry.objects.count() == 1
    # the same hours with another description are another entry
    assert _post_hours(client, eng, hours="2", description="Second class").status_code == 302
    assert HoursEntry.objects.count() == 2


def test_someone_elses_hours_cannot_be_corrected_confirmed_or_disputed(client):
    eng, editor, volunteer = engagement()
    entry = engagements.hours_log(actor=volunteer, engagement=eng, date=TODAY(), hours="2", description="x")
    entry = engagements.hours_dispute(actor=editor, entry=entry, reason="No")
    other_eng, other_editor, other_volunteer = engagement()
    login(client, other_volunteer)
    response = client.post(
        reverse("volunteering:hours_correct", kwargs={"pk": entry.pk}),
        {"date": TODAY().isoformat(), "hours": "9", "description": "mine now"},
    )
    assert response.status_code == 404
    login(client, other_editor)
    assert client.post(reverse("volunteering:hours_confirm", kwargs={"pk": entry.pk})).status_code == 403
    entry.refresh_from_db()
    assert (entry.status, entry.hours, entry.description) == ("disputed", 2, "x")
    # and my own engagement's URL with someone else's hours does not reach them either
    login(client, volunteer)
    response = client.post(
        reverse("volunteering:hours_log", kwargs={"pk": other_eng.pk}),
        {"date": TODAY().isoformat(), "hours": "2", "description": "x"},
    )
    assert response.status_code in (403, 404)
    assert not other_eng.hours.exists()


def test_someone_elses_application_cannot_be_withdrawn_or_decided(client):
    opportunity = OpportunityFactory(places=3)
    application = applications.application_submit(
        actor=ProfileFactory().user, opportunity=opportunity, message="Hi"
    )
    intruder = ProfileFactory().user
    login(client, intruder)
    assert client.post(reverse("volunteering:withdraw", kwargs={"pk": application.pk})).status_code == 404
    _eng, other_editor, _v = engagement()
    login(client, other_editor)
    response = client.post(
        reverse("volunteering:application_decide", kwargs={"pk": application.pk}), {"to": "accepted"}
    )
    assert response.status_code in (403, 404)
    application.refresh_from_db()
    assert application.status == "applied"
    assert Application.objects.filter(opportunity=opportunity).count() == 1


def test_inviting_someone_who_did_not_consent_is_a_404(client):
    opportunity = OpportunityFactory()
    hidden = ProfileFactory(contact_consent=False)
    login(client, editor_of(opportunity.organization))
    response = client.post(
        reverse("volunteering:invite", kwargs={"pk": opportunity.pk, "profile_pk": hidden.pk}),
        {"message": "Join us"},
    )
    assert response.status_code == 404
    assert not Application.objects.exists()
