"""Factories and builders of the help desk. `submitted(...)`, `assigned(...)`, `answered(...)`
drive the real services to a state; `expert_user(...)` makes an active expert of a partner."""

import io

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assistance.choices import Category
from assistance.models import Expert, HelpRequest, KnowledgeEntry
from assistance.services import requests as services
from organizations.models import Membership
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of


def pdf_bytes() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_upload(name="question.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    categories = factory.LazyFunction(lambda: [Category.LEGAL, Category.REGISTRATION])
    languages = factory.LazyFunction(lambda: ["sq", "en"])
    active = True


def submitted(
    *, requester=None, organization=None, category=Category.LEGAL, urgency="normal", uploads=(), **kwargs
):
    """A new request, through the service (reference, due day, history, email)."""
    if requester is None:
        organization = organization or OrganizationFactory()
        requester = member_of(organization, Membership.Role.EDITOR)
    return services.request_submit(
        actor=requester,
        organization=organization,
        category=category,
        title=kwargs.pop("title", "Regjistrimi i organizatës"),
        description=kwargs.pop("description", "Si ta regjistrojmë ndryshimin e statutit?"),
        urgency=urgency,
        language=kwargs.pop("language", "sq"),
        uploads=uploads,
    )


def assigned(*, expert=None, staff=None, **kwargs) -> HelpRequest:
    request = submitted(**kwargs)
    return services.request_assign(
        actor=staff or StaffFactory(), request=request, expert=expert or ExpertFactory()
    )


def answered(*, answer="Përgjigjja e ekspertit.", **kwargs) -> HelpRequest:
    request = assigned(**kwargs)
    return services.request_answer(actor=request.expert.user, request=request, answer=answer)


class KnowledgeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeEntry

    source_request = factory.LazyFunction(lambda: answered())
    category = Category.LEGAL
    question_sq = "Si regjistrohet një shoqatë?"
    question_sr = "Kako se registruje udruženje?"
    question_en = "How is an association registered?"
    answer_sq = "Regjistrimi bëhet në Departamentin për OJQ me statutin dhe aktin e themelimit."
    answer_sr = "Registracija se vrši u Odeljenju za NVO sa statutom i osnivačkim aktom."
    answer_en = "Registration is done at the NGO Department with the statute and the founding act."
    published = True
    published_at = factory.LazyFunction(timezone.now)


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """Attachments go to a temporary private storage."""
    from django.core.files.storage import FileSystemStorage

    from assistance.models import Attachment

    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage
