"""factory_boy factories and builders of volunteering, shared by its test modules.

`ProfileFactory(skills=[...], languages={"sr": 3})`, `OpportunityFactory(must=[...],
nice=[...])` (an open opportunity of a verified organisation), `skill("design")`, and
`engagement()` (an accepted application and its engagement, through the real services).
"""

import datetime

import factory
from django.utils import timezone

from organizations.models import Membership, Organization
from tests.factories import OrganizationFactory, UserFactory, member_of, municipality
from volunteering.choices import OpportunityStatus
from volunteering.models import (
    Opportunity,
    OpportunityLanguage,
    OpportunitySkill,
    ProfileLanguage,
    Skill,
    VolunteerProfile,
)
from volunteering.skills_data import SKILLS


def skill(slug: str) -> Skill:
    """A skill of the taxonomy (put back if a transactional test flushed the data migration's rows)."""
    found = Skill.objects.filter(slug=slug).first()
    if found is None:
        for order, (s, sq, sr, en) in enumerate(SKILLS):
            Skill.objects.update_or_create(
                slug=s, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "ordering": order}
            )
        found = Skill.objects.get(slug=slug)
    return found


class VerifiedOrganizationFactory(OrganizationFactory):
    verification_status = Organization.Verification.VERIFIED


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    hours_per_week = 4
    weekdays = True
    evenings = True
    weekends = False
    municipality = factory.LazyFunction(lambda: municipality("prishtine"))
    work_mode = "both"
    contact_consent = True
    consent_given_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            for code, level in (extracted if extracted is not None else {"sq": 4}).items():
                ProfileLanguage.objects.create(profile=obj, language=code, level=level)


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    organization = factory.SubFactory(VerifiedOrganizationFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    description = "Help us in our community work."
    municipality = factory.LazyFunction(lambda: municipality("prishtine"))
    places = 2
    hours_per_week = 3
    weekdays = True
    evenings = True
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    status = OpportunityStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        for code in extracted if extracted is not None else ["sq"]:
            OpportunityLanguage.objects.create(opportunity=obj, language=code)

    @factory.post_generation
    def must(obj, create, extracted, **kwargs):
        for s in extracted or []:
            OpportunitySkill.objects.create(opportunity=obj, skill=s, required=True)

    @factory.post_generation
    def nice(obj, create, extracted, **kwargs):
        for s in extracted or []:
            OpportunitySkill.objects.create(opportunity=obj, skill=s, required=False)


def editor_of(organization):
    return member_of(organization, Membership.Role.EDITOR)


def viewer_of(organization):
    return member_of(organization, Membership.Role.VIEWER)


def engagement(opportunity=None, profile=None):
    """(engagement, editor, volunteer user): an application accepted through the services."""
    from volunteering.services import applications

    opportunity = opportunity or OpportunityFactory()
    profile = profile or ProfileFactory()
    editor = editor_of(opportunity.organization)
    application = applications.application_submit(
        actor=profile.user, opportunity=opportunity, message="Hello"
    )
    application = applications.application_decide(actor=editor, application=application, accept=True)
    return application.engagement, editor, profile.user
