"""seed_demo gives dialogue an open consultation (sections, comments, supports, some answers)
and a closed one with every comment answered; a second run adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from dialogue.choices import ConsultationStatus
from dialogue.models import CommentSupport, Consultation, ConsultationComment

pytestmark = pytest.mark.django_db


def test_seed_demo_consultations(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (
        Consultation.objects.count(),
        ConsultationComment.objects.count(),
        CommentSupport.objects.count(),
    )
    open_one = Consultation.objects.get(status=ConsultationStatus.OPEN)
    closed = Consultation.objects.get(status=ConsultationStatus.CLOSED)
    assert open_one.accepting_comments() and not closed.accepting_comments()
    assert open_one.sections.count() >= 2
    open_comments = ConsultationComment.objects.filter(section__consultation=open_one)
    assert open_comments.exists() and open_comments.filter(verdict="").exists()
    assert open_comments.exclude(verdict="").exists()
    assert CommentSupport.objects.filter(comment__section__consultation=open_one).exists()
    closed_comments = ConsultationComment.objects.filter(section__consultation=closed)
    assert closed_comments.exists() and not closed_comments.filter(verdict="").exists()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (
        Consultation.objects.count(),
        ConsultationComment.objects.count(),
        CommentSupport.objects.count(),
    ) == counts
    assert client.get(reverse("dialogue:consultation_list")).status_code == 200
    for consultation in (open_one, closed):
        assert client.get(consultation.get_absolute_url()).status_code == 200
