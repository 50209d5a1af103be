"""Services of volunteering: profile and consent, posting (verified editors only),
applying (not twice, not after the deadline), inviting, deciding (never beyond the places),
hours (bad input of every kind), the engagement workflow and its history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import workflow
from core.models import EmailOutbox
from organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory, municipality
from tests.volunteering.factories import (
    OpportunityFactory,
    ProfileFactory,
    editor_of,
    engagement,
    skill,
    viewer_of,
)
from volunteering.choices import ApplicationStatus, EngagementStatus, HoursStatus, OpportunityStatus
from volunteering.models import Application, HoursEntry, Opportunity
from volunteering.services import applications, engagements, opportunities, profiles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages read in English

TODAY = timezone.localdate


# --- profile ----------------------------------------------------------------------------


def test_profile_save_and_consent_timestamps():
    user = UserFactory()
    profile = profiles.profile_save(
        actor=user,
        fields={
            "hours_per_week": 5,
            "contact_consent": True,
            "time_zone": "America/New_York",
            "tags": ["Python", "python"],
        },
        skills=[skill("design")],
        languages={"sr": 3, "en": 4},
    )
    assert profile.consent_given_at is not None and profile.consent_withdrawn_at is None
    assert profile.utc_offset == -300
    assert profile.tags == ["python"]
    assert set(profile.languages.values_list("language", flat=True)) == {"sr", "en"}
    profile = profiles.consent_set(actor=user, consent=False)
    assert not profile.contact_consent and profile.consent_withdrawn_at is not None
    assert profile.consent_given_at is not None  # the history of consent is kept


def test_profile_refuses_a_bad_time_zone_and_language():
    user = UserFactory()
    with pytest.raises(ValidationError):
        profiles.profile_save(actor=user, fields={"time_zone": "Mars/Olympus"})
    with pytest.raises(ValidationError):
        profiles.profile_save(actor=user, fields={}, languages={"xx": 3})


# --- posting ----------------------------------------------------------------------------


def _fields(**extra):
    return {
        "title": "Teach kids",
        "description": "Every Saturday.",
        "municipality": municipality("peje"),
        **extra,
    }


def test_only_an_editor_of_a_verified_organisation_posts():
    verified = OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    pending = OrganizationFactory()
    opportunity = opportunities.opportunity_create(
        actor=editor_of(verified), organization=verified, fields=_fields()
    )
    assert opportunity.status == OpportunityStatus.DRAFT
    with pytest.raises(PermissionDenied):
        opportunities.opportunity_create(actor=editor_of(pending), organization=pending, fields=_fields())
    with pytest.raises(PermissionDenied):
        opportunities.opportunity_create(actor=viewer_of(verified), organization=verified, fields=_fields())


def test_publish_and_close_write_history():
    org = OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    editor = editor_of(org)
    opportunity = opportunities.opportunity_create(
        actor=editor, organization=org, fields=_fields(), must=[skill("teaching")], nice=[skill("design")]
    )
    assert opportunity.skill_needs.filter(required=True).count() == 1
    opportunities.opportunity_publish(actor=editor, opportunity=opportunity)
    opportunities.opportunity_close(actor=editor, opportunity=opportunity)
    moves = [(c.from_status, c.to_status) for c in workflow.history(opportunity)]
    assert moves == [("draft", "open"), ("open", "closed")]


def test_expert_request_needs_brief_and_expertise_and_a_place_or_remote():
    org = OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    with pytest.raises(ValidationError) as error:
        opportunities.opportunity_create(
            actor=editor_of(org),
            organization=org,
            fields={"title": "Audit help", "description": "x", "kind": "expert_request"},
        )
    assert {"brief", "expertise", "municipality"} <= set(error.value.message_dict)


# --- applying ---------------------------------------------------------------------------


def test_apply_once_and_not_after_the_deadline():
    opportunity = OpportunityFactory()
    editor = editor_of(opportunity.organization)
    profile = ProfileFactory()
    application = applications.application_submit(actor=profile.user, opportunity=opportunity, message="Hi")
    assert application.status == ApplicationStatus.APPLIED
    assert EmailOutbox.objects.filter(to=editor.email, subject__icontains=opportunity.title).exists()
    with pytest.raises(ValidationError, match="already applied"):
        applications.application_submit(actor=profile.user, opportunity=opportunity)
    late = OpportunityFactory(deadline=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="deadline"):
        applications.application_submit(actor=profile.user, opportunity=late)
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT)
    with pytest.raises(ValidationError):
        applications.application_submit(actor=profile.user, opportunity=draft)
    assert Application.objects.count() == 1


def test_apply_needs_a_profile():
    with pytest.raises(ValidationError, match="profile"):
        applications.application_submit(actor=UserFactory(), opportunity=OpportunityFactory())


def test_one_application_per_person_in_the_database():
    opportunity, profile = OpportunityFactory(), ProfileFactory()
    Application.objects.create(opportunity=opportunity, profile=profile, origin="applied", status="applied")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            opportunity=opportunity, profile=profile, origin="applied", status="applied"
        )


def test_invite_only_consenting_people_then_they_accept_by_applying():
    opportunity = OpportunityFactory()
    editor = editor_of(opportunity.organization)
    shy = ProfileFactory(contact_consent=False)
    with pytest.raises(ValidationError, match="contacted"):
        applications.application_invite(actor=editor, opportunity=opportunity, profile=shy)
    profile = ProfileFactory()
    invitation = applications.application_invite(
        actor=editor, opportunity=opportunity, profile=profile, message="Join!"
    )
    assert invitation.status == ApplicationStatus.INVITED
    with pytest.raises(PermissionDenied):
        applications.application_invite(
            actor=viewer_of(opportunity.organization), opportunity=opportunity, profile=ProfileFactory()
        )
    answered = applications.application_submit(actor=profile.user, opportunity=opportunity, message="Yes")
    assert answered.pk == invitation.pk and answered.status == ApplicationStatus.APPLIED


def test_decide_accepts_into_an_engagement_and_never_beyond_the_places():
    opportunity = OpportunityFactory(places=1)
    editor = editor_of(opportunity.organization)
    first, second = ProfileFactory(), ProfileFactory()
    a1 = applications.application_submit(actor=first.user, opportunity=opportunity)
    a2 = applications.application_submit(actor=second.user, opportunity=opportunity)
    with pytest.raises(PermissionDenied):
        applications.application_decide(
            actor=viewer_of(opportunity.organization), application=a1, accept=True
        )
    accepted = applications.application_decide(actor=editor, application=a1, accept=True, response="Welcome")
    assert accepted.engagement.status == EngagementStatus.ACTIVE
    applications.application_decide(actor=editor, application=a1, accept=True)  # double submit: harmless
    with pytest.raises(ValidationError, match="places are filled"):
        applications.application_decide(actor=editor, application=a2, accept=True)
    opportunity.refresh_from_db()
    assert opportunity.places_filled == 1
    declined = applications.application_decide(actor=editor, application=a2, accept=False, response="Sorry")
    assert declined.status == ApplicationStatus.DECLINED and declined.response == "Sorry"


def test_places_filled_cannot_exceed_places_in_the_database():
    opportunity = OpportunityFactory(places=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(places_filled=2)


def test_withdraw_by_the_applicant_only():
    opportunity = OpportunityFactory()
    profile = ProfileFactory()
    application = applications.application_submit(actor=profile.user, opportunity=opportunity)
    with pytest.raises(PermissionDenied):
        applications.application_withdraw(actor=editor_of(opportunity.organization), application=application)
    assert (
        applications.application_withdraw(actor=profile.user, application=application).status == "withdrawn"
    )


# --- hours and the engagement -------------------------------------------------------------


def test_hours_logged_confirmed_disputed_and_corrected():
    eng, editor, volunteer = engagement()
    entry = engagements.hours_log(
        actor=volunteer, engagement=eng, date=TODAY(), hours="2.5", description="Class"
    )
    assert entry.status == HoursStatus.LOGGED and entry.hours == Decimal("2.50")
    with pytest.raises(PermissionDenied):
        engagements.hours_confirm(actor=volunteer, entry=entry)
    with pytest.raises(ValidationError):
        engagements.hours_dispute(actor=editor, entry=entry, reason=" ")
    entry = engagements.hours_dispute(actor=editor, entry=entry, reason="It was 2 hours")
    assert entry.status == HoursStatus.DISPUTED
    with pytest.raises(PermissionDenied):
        engagements.hours_correct(actor=editor, entry=entry, date=TODAY(), hours="2", description="Class")
    entry = engagements.hours_correct(
        actor=volunteer, entry=entry, date=TODAY(), hours="2", description="Class"
    )
    assert entry.status == HoursStatus.LOGGED and entry.hours == 2
    entry = engagements.hours_confirm(actor=editor, entry=entry)
    assert entry.status == HoursStatus.CONFIRMED and entry.confirmed_by == editor
    assert engagements.confirmed_hours(eng) == 2
    assert [c.to_status for c in workflow.history(entry)] == ["disputed", "logged", "confirmed"]


@pytest.mark.parametrize(
    ("hours", "days_ago", "field"),
    [
        ("0", 0, "hours"),
        ("-1", 0, "hours"),
        ("24.5", 0, "hours"),
        ("abc", 0, "hours"),
        ("NaN", 0, "hours"),
        ("2", -1, "date"),
    ],
)
def test_bad_hours_are_refused(hours, days_ago, field):
    eng, _editor, volunteer = engagement()
    with pytest.raises(ValidationError) as error:
        engagements.hours_log(
            actor=volunteer,
            engagement=eng,
            date=TODAY() - datetime.timedelta(days=days_ago),
            hours=hours,
            description="x",
        )
    assert field in error.value.message_dict
    assert not HoursEntry.objects.exists()


def test_more_than_24_hours_in_one_day_over_two_entries():
    eng, _editor, volunteer = engagement()
    engagements.hours_log(actor=volunteer, engagement=eng, date=TODAY(), hours="20", description="Long day")
    with pytest.raises(ValidationError, match="24"):
        engagements.hours_log(actor=volunteer, engagement=eng, date=TODAY(), hours="5", description="More")


def test_hours_on_someone_elses_engagement_are_refused():
    eng, editor, _volunteer = engagement()
    for intruder in (UserFactory(), editor):
        with pytest.raises(PermissionDenied):
            engagements.hours_log(actor=intruder, engagement=eng, date=TODAY(), hours="1", description="x")


def test_engagement_completes_and_then_takes_no_hours():
    eng, editor, volunteer = engagement()
    with pytest.raises(PermissionDenied):
        engagements.engagement_end(actor=UserFactory(), engagement=eng, completed=True)
    eng = engagements.engagement_end(actor=editor, engagement=eng, completed=True)
    assert eng.status == EngagementStatus.COMPLETED
    with pytest.raises(ValidationError):
        engagements.engagement_end(actor=editor, engagement=eng, completed=False)
    with pytest.raises(ValidationError):
        engagements.hours_log(actor=volunteer, engagement=eng, date=TODAY(), hours="1", description="x")
