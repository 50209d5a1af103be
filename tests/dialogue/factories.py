"""Factories of dialogue and builders that reach a state through the real services."""

from datetime import timedelta

import factory
from django.utils import timezone

from core.models import Sector
from dialogue.choices import Audience, EventKind, EventStatus
from dialogue.models import Commitment, Event, EventSector
from organizations.models import Membership, Organization
from tests import factories
from tests.factories import member_of


class EventFactory(factory.django.DjangoModelFactory):
    """A published event next week, registration open now."""

    class Meta:
        model = Event

    kind = EventKind.ROUNDTABLE
    title_sq = factory.Sequence(lambda n: f"Tryezë {n}")
    title_sr = factory.Sequence(lambda n: f"Okrugli sto {n}")
    title_en = factory.Sequence(lambda n: f"Roundtable {n}")
    description_sq = "Përshkrim"
    description_en = "Description"
    topic = factory.LazyFunction(lambda: Sector.objects.order_by("ordering").first())
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    place = "Salla e Kuvendit"
    municipality = factory.LazyFunction(lambda: factories.municipality("prishtine"))
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(hours=1))
    status = EventStatus.PUBLISHED


def sector(event, audience=Audience.CSO, places=2) -> EventSector:
    return EventSector.objects.create(event=event, audience=audience, places=places)


def verified_org(**kwargs) -> Organization:
    return factories.OrganizationFactory(verification_status="verified", **kwargs)


def editor_of(org):
    return member_of(org, Membership.Role.EDITOR)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    event = factory.SubFactory(EventFactory)
    organization = factory.LazyFunction(
        lambda: verified_org(kind=Organization.Kind.PUBLIC_INSTITUTION, registration_number="")
    )
    what = "Publish the municipal budget draft for consultation"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    indicator = "Draft published"


def strategy_measure(code="9.1"):
    """A measure of transparency's Strategy monitoring (for the link from a commitment)."""
    from transparency.models import StrategyMeasure, StrategyObjective

    objective, _ = StrategyObjective.objects.get_or_create(
        code="9", defaults={"title_sq": "Objektiv", "title_sr": "Cilj", "title_en": "Objective"}
    )
    return StrategyMeasure.objects.create(
        objective=objective, code=code, title_sq="Masë", title_sr="Mera", title_en="Measure"
    )


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open consultation, taking comments now (add sections with `consultation_section`)."""

    class Meta:
        model = "dialogue.Consultation"

    title_sq = factory.Sequence(lambda n: f"Konsultim {n}")
    title_sr = factory.Sequence(lambda n: f"Konsultacija {n}")
    title_en = factory.Sequence(lambda n: f"Consultation {n}")
    introduction_sq = "Hyrje"
    introduction_en = "Introduction"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    status = "open"


def consultation_section(consultation, position=None, heading="Seksioni"):
    from dialogue.models import ConsultationSection

    if position is None:
        position = consultation.sections.count() + 1
    return ConsultationSection.objects.create(
        consultation=consultation,
        position=position,
        heading_sq=f"{heading} {position}",
        heading_en=f"Section {position}",
        body_sq="Teksti",
        body_en="The text",
    )


def consultation_comment(section, author=None, body="Një koment"):
    from dialogue.models import ConsultationComment

    return ConsultationComment.objects.create(
        section=section, author=author or factories.UserFactory(), body=body
    )


def ended_event(**kwargs) -> Event:
    """A published event that ended yesterday (its registration closed before it began)."""
    now = timezone.now()
    defaults = {
        "starts_at": now - timedelta(days=1, hours=3),
        "registration_opens_at": now - timedelta(days=10),
    }
    return EventFactory(**{**defaults, **kwargs})


def registrant(event, status=None, user=None, language="sq", audience=Audience.CSO):
    """A person with a registration of `status` (registered by default) at `event`, made
    directly (the event may be past, when the service no longer registers)."""
    from dialogue.choices import RegistrationStatus
    from dialogue.models import Registration

    status = status or RegistrationStatus.REGISTERED
    user = user or factories.UserFactory(preferred_language=language)
    event_sector = EventSector.objects.filter(event=event, audience=audience).first() or sector(
        event, audience, places=50
    )
    waiting = status == RegistrationStatus.WAITING
    return Registration.objects.create(
        event=event,
        sector=event_sector,
        user=user,
        name=user.full_name or user.email,
        email=user.email,
        status=status,
        waiting_position=1 if waiting else None,
    )


def use_tmp_storage(tmp_path, monkeypatch):
    """Follow-up documents and photos stored under `tmp_path` (not the project's folder)."""
    from django.core.files.storage import FileSystemStorage

    from dialogue.models import FollowUpDocument, FollowUpPhoto

    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    for model in (FollowUpDocument, FollowUpPhoto):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


def upload(content: bytes, name: str, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
