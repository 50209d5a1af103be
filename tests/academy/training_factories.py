"""Builders of the capacity-training tests: trainings in every phase (registration open,
running today, held), organisations with people in every role, and the questionnaire."""

from datetime import timedelta

from django.utils import timezone

from academy.choices import TrainingTopic
from academy.models import AssessmentArea, AssessmentQuestion, Training
from organizations.models import Membership
from tests.factories import OrganizationFactory, member_of


def make_training(*, phase="open", places=10, **kwargs) -> Training:
    """phase: "open" (registration open, starts in 10 days), "today" (running today, its
    registration closed), "held" (ended yesterday), "soon" (registration not yet open)."""
    now = timezone.now()
    local = timezone.localtime(now)
    if phase == "open":
        opens, closes, starts = now - timedelta(days=2), now + timedelta(days=5), now + timedelta(days=10)
        ends = starts + timedelta(hours=6)
    elif phase == "soon":
        opens, closes, starts = now + timedelta(days=2), now + timedelta(days=5), now + timedelta(days=10)
        ends = starts + timedelta(hours=6)
    elif phase == "today":
        starts = local.replace(hour=0, minute=1, second=0, microsecond=0)
        ends = local.replace(hour=23, minute=58, second=0, microsecond=0)
        opens, closes = starts - timedelta(days=20), starts - timedelta(days=1)
    elif phase == "held":
        starts = now - timedelta(days=2)
        ends = now - timedelta(days=1)
        opens, closes = starts - timedelta(days=20), starts - timedelta(days=3)
    else:
        raise ValueError(phase)
    defaults = {
        "topic": TrainingTopic.FUNDRAISING,
        "title_sq": "Mbledhja e fondeve për OShC",
        "title_sr": "Prikupljanje sredstava za OCD",
        "title_en": "Fundraising for CSOs",
        "description_sq": "Trajnim praktik.",
        "place": "Prishtinë, Salla e KCSF",
        "places": places,
        "starts_at": starts,
        "ends_at": ends,
        "registration_opens_at": opens,
        "registration_closes_at": closes,
    }
    return Training.objects.create(**{**defaults, **kwargs})


def organization_with(role=Membership.Role.EDITOR):
    organization = OrganizationFactory()
    return organization, member_of(organization, role)


def questionnaire(areas=2, per_area=2):
    questions = []
    for a in range(areas):
        area = AssessmentArea.objects.create(
            order=a, name_sq=f"Fusha {a}", name_sr=f"Oblast {a}", name_en=f"Area {a}"
        )
        for q in range(per_area):
            questions.append(
                AssessmentQuestion.objects.create(
                    area=area,
                    order=q,
                    text_sq=f"Pyetja {a}.{q}",
                    text_sr=f"Pitanje {a}.{q}",
                    text_en=f"Question {a}.{q}",
                )
            )
    return questions


def answers(questions, score=3) -> dict:
    return {q.pk: score for q in questions}


def register(training, organization, editor, names=("Arta Krasniqi", "Blerim Gashi")):
    """The organisation registered through the real service, at a moment its window was open."""
    from academy.services import trainings

    return trainings.registration_save(
        actor=editor,
        training=training,
        organization_id=organization.pk,
        attendees=[(name, "") for name in names],
        now=training.registration_opens_at + timedelta(minutes=1),
    )


def use_temporary_storage(tmp_path, monkeypatch):
    """The materials' private storage in a temporary folder (the field's storage is resolved
    at import: patch the field)."""
    from django.core.files.storage import FileSystemStorage

    from academy.models import TrainingMaterial

    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(TrainingMaterial._meta.get_field("file"), "storage", storage)
    return storage


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n160\n%%EOF\n"
)
