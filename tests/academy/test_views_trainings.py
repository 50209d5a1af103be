"""The pages of the capacity trainings, the self-assessment and community mapping: bad input
of every kind gets a clear message and a 4xx (nothing saved is lost), and the lists run a
number of queries that does not grow with their rows."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import SelfAssessment, Stakeholder, Training, TrainingFeedback, TrainingRegistration
from academy.services import assessment, mapping
from organizations.models import Membership
from tests.academy.training_factories import (
    PDF,
    answers,
    make_training,
    organization_with,
    questionnaire,
    register,
    use_temporary_storage,
)
from tests.factories import OrganizationFactory, StaffFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(name, *args):
    return reverse(f"academy:{name}", args=args)


def _register(client, training, organization, names, **extra):
    return client.post(
        url("training_register", training.pk),
        {
            "organization": organization.pk,
            "attendee_name": names,
            "attendee_email": [""] * len(names),
            **extra,
        },
    )


def test_register_then_a_second_new_registration_is_refused(client):
    training = make_training(places=5)
    organization, editor = organization_with()
    client.force_login(editor)
    response = _register(client, training, organization, ["Arta Krasniqi", "Blerim Gashi"])
    assert response.status_code == 302
    response = _register(client, training, organization, ["Drita"])
    assert response.status_code == 409
    assert "already registered for this training" in response.content.decode()
    assert "Drita" in response.content.decode()  # what was typed is kept
    registration = TrainingRegistration.objects.get()
    assert list(registration.attendees.values_list("name", flat=True)) == ["Arta Krasniqi", "Blerim Gashi"]
    # The page offers the change instead, which works.
    page = client.get(url("training_register", training.pk) + f"?organization={organization.pk}")
    assert f'name="registration" value="{registration.pk}"' in page.content.decode()
    response = _register(client, training, organization, ["Drita"], registration=registration.pk)
    assert response.status_code == 302
    assert list(registration.attendees.values_list("name", flat=True)) == ["Drita"]


def test_over_the_places_is_refused_and_the_names_kept(client):
    training = make_training(places=1)
    organization, editor = organization_with()
    client.force_login(editor)
    response = _register(client, training, organization, ["Arta", "Blerim"])
    assert response.status_code == 409
    assert "Only 1 place is left." in response.content.decode()
    assert 'value="Blerim"' in response.content.decode()
    assert not TrainingRegistration.objects.exists()


@pytest.mark.parametrize("phase", ["soon", "held"])
def test_outside_the_window(client, phase):
    training = make_training(phase=phase)
    organization, editor = organization_with()
    client.force_login(editor)
    assert client.get(url("training_register", training.pk)).status_code == 409
    response = _register(client, training, organization, ["Arta"])
    assert response.status_code == 409
    assert "Registration for this training is not open." in response.content.decode()


@pytest.mark.parametrize("organization_id", ["other", "abc", "99999999999999999999", ""])
def test_someone_elses_or_junk_organisation_ids(client, organization_id):
    training = make_training()
    _mine, editor = organization_with()
    other = OrganizationFactory()
    client.force_login(editor)
    value = other.pk if organization_id == "other" else organization_id
    response = client.post(
        url("training_register", training.pk), {"organization": value, "attendee_name": ["Arta"]}
    )
    assert response.status_code == (403 if organization_id else 400)
    assert not TrainingRegistration.objects.exists()


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "99999999999999999999"])
def test_junk_ids_in_addresses_are_404(client, pk):
    organization, editor = organization_with()
    client.force_login(editor)
    for name in ("training_detail", "training_register", "training_feedback"):
        assert client.get(url(name, pk)).status_code == 404
    assert client.get(url("community_map", pk)).status_code == 404
    assert client.get(url("organization_assessment", pk)).status_code == 404
    assert client.get(url("shared_map", pk)).status_code == 404
    training = make_training(phase="held")
    register(training, organization, editor)
    assert client.get(url("training_material", training.pk, pk)).status_code == 404


def test_feedback_twice_and_junk_scores(client):
    training = make_training(phase="held")
    organization, editor = organization_with()
    register(training, organization, editor)
    client.force_login(editor)
    response = client.post(url("training_feedback", training.pk), {"content": "9", "facilitation": "x"})
    assert response.status_code == 400
    assert not TrainingFeedback.objects.exists()
    good = {"content": "5", "facilitation": "4", "apply": "3", "comment": "Shumë mirë"}
    assert client.post(url("training_feedback", training.pk), good).status_code == 302
    response = client.post(url("training_feedback", training.pk), good)
    assert response.status_code == 409
    assert "already given your feedback" in response.content.decode()
    assert TrainingFeedback.objects.count() == 1


def test_feedback_before_the_end_is_refused(client):
    training = make_training(phase="today")
    organization, editor = organization_with()
    register(training, organization, editor)
    client.force_login(editor)
    response = client.get(url("training_feedback", training.pk))
    assert response.status_code == 403
    assert "opens when the training ends" in response.content.decode()


def test_follow_up_too_early_and_twice(client):
    questions = questionnaire()
    organization, editor = organization_with()
    client.force_login(editor)
    data = {f"q{q.pk}": "2" for q in questions}
    assert client.post(url("assessment_fill", organization.pk, "follow_up"), data).status_code == 409
    assert client.post(url("assessment_fill", organization.pk, "baseline"), data).status_code == 302
    assert client.post(url("assessment_fill", organization.pk, "baseline"), data).status_code == 409
    response = client.post(url("assessment_fill", organization.pk, "follow_up"), data)
    assert response.status_code == 409
    assert "opens six months after the baseline" in response.content.decode()
    assert client.get(url("assessment_fill", organization.pk, "follow_up")).status_code == 409
    assert client.get(url("assessment_fill", organization.pk, "junk")).status_code == 404
    assert SelfAssessment.objects.count() == 1
    page = client.get(url("organization_assessment", organization.pk)).content.decode()
    assert "Opens on" in page


def test_an_incomplete_assessment_keeps_the_answers(client):
    questions = questionnaire()
    organization, editor = organization_with()
    client.force_login(editor)
    response = client.post(url("assessment_fill", organization.pk, "baseline"), {f"q{questions[0].pk}": "4"})
    assert response.status_code == 400
    assert (
        f'value="4" class="form-check-input" id="id_q{questions[0].pk}_3" required checked'
        in response.content.decode()
    )
    assert not SelfAssessment.objects.exists()


def test_an_assessment_of_an_organisation_one_does_not_edit(client):
    questionnaire()
    organization, _editor = organization_with()
    viewer = member_of(organization, Membership.Role.VIEWER)
    client.force_login(viewer)
    response = client.post(url("assessment_fill", organization.pk, "baseline"), {})
    assert response.status_code == 403
    assert "owners and editors fill its self-assessment" in response.content.decode()


def test_change_shown_to_members_after_the_follow_up(client):
    questions = questionnaire(areas=1)
    organization, editor = organization_with()
    baseline = assessment.assessment_submit(
        actor=editor,
        organization=organization,
        kind="baseline",
        answers=answers(questions, 2),
        now=timezone.now() - timedelta(days=200),
    )
    assert assessment.follow_up_opens_at(baseline) <= timezone.now()
    client.force_login(editor)
    response = client.post(
        url("assessment_fill", organization.pk, "follow_up"), {f"q{q.pk}": "4" for q in questions}
    )
    assert response.status_code == 302
    client.force_login(member_of(organization, Membership.Role.VIEWER))
    page = client.get(url("organization_assessment", organization.pk)).content.decode()
    assert "+2.0" in page


def test_bad_stakeholders_keep_what_was_typed(client):
    organization, editor = organization_with()
    client.force_login(editor)
    data = {
        "kind": "group",
        "name": "Shoqata e fermerëve",
        "interest": "99",
        "influence": "3",
        "relation": "ally",
    }
    response = client.post(url("stakeholder_add", organization.pk), data)
    assert response.status_code == 400
    assert 'value="Shoqata e fermerëve"' in response.content.decode()
    response = client.post(url("stakeholder_add", organization.pk), {**data, "interest": "3", "name": ""})
    assert response.status_code == 400
    assert "type a name" in response.content.decode()
    response = client.post(url("stakeholder_remove", organization.pk), {"stakeholder": "junk"})
    assert response.status_code == 400
    assert not Stakeholder.objects.exists()


def test_bad_uploads_and_attendance_for_another_training(client, monkeypatch, tmp_path):
    use_temporary_storage(tmp_path, monkeypatch)
    staff = StaffFactory()
    training = make_training(phase="today")
    other = make_training(phase="today")
    organization, editor = organization_with()
    stranger = register(other, organization, editor).attendees.first()
    client.force_login(staff)
    exe = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00" * 100, content_type="application/pdf")
    response = client.post(url("staff_material_add", training.pk), {"title": "Slides", "file": exe})
    assert response.status_code == 400
    assert "Upload a PDF, Word, Excel" in response.content.decode()
    good = SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(url("staff_material_add", training.pk), {"title": "Slides", "file": good}).status_code
        == 302
    )
    response = client.post(url("staff_attendance_mark", training.pk), {"attendee": stranger.pk})
    assert response.status_code == 400
    assert "not registered for this training" in response.content.decode()
    response = client.post(url("staff_attendance_mark", training.pk), {"attendee": "junk"})
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert not stranger.present


def test_staff_create_a_training_and_bad_dates_are_refused(client):
    client.force_login(StaffFactory())
    now = timezone.localtime() + timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "topic": "constituency",
        "title_sq": "Angazhimi i zgjedhësve",
        "title_en": "Constituency engagement",
        "place": "Gjilan",
        "places": "12",
        "starts_at": now.strftime(fmt),
        "ends_at": (now - timedelta(hours=2)).strftime(fmt),
        "registration_opens_at": (now - timedelta(days=9)).strftime(fmt),
        "registration_closes_at": (now - timedelta(days=1)).strftime(fmt),
    }
    response = client.post(url("staff_training_new"), data)
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    assert not Training.objects.exists()
    response = client.post(
        url("staff_training_new"), {**data, "ends_at": (now + timedelta(hours=4)).strftime(fmt)}
    )
    assert response.status_code == 302
    assert Training.objects.get().title_en == "Constituency engagement"
    response = client.post(url("staff_training_new"), {**data, "topic": "alien", "places": "-3"})
    assert response.status_code == 400


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def _world(rows):
    staff = StaffFactory()
    today = make_training(phase="today", places=100)
    organization, editor = organization_with()
    for n in range(rows):
        make_training(title_en=f"Training {n}")
        org, org_editor = organization_with()
        register(today, org, org_editor, names=[f"Person {n}", f"Other {n}"])
        member_of(org, Membership.Role.VIEWER)
        Membership.objects.create(organization=org, user=editor, role=Membership.Role.VIEWER)
        mapping.stakeholder_add(
            actor=editor,
            organization=organization,
            data={"kind": "cso", "registry_organization": org, "interest": n % 5 + 1, "influence": 3},
        )
    mapping.map_settings(actor=editor, organization=organization, shared=True)
    return staff, editor, organization, today


def test_lists_run_a_flat_number_of_queries(client):
    counts = []
    for rows in (2, 5):
        staff, editor, organization, today = _world(rows)
        client.force_login(staff)
        found = [
            _queries(client, url("training_list")),
            _queries(client, url("staff_trainings")),
            _queries(client, url("staff_attendance", today.pk)),
            _queries(client, url("staff_training", today.pk)),
        ]
        client.force_login(editor)
        found += [
            _queries(client, url("my_trainings")),
            _queries(client, url("community_map", organization.pk)),
            _queries(client, url("shared_map", organization.slug)),
            _queries(client, url("assessment_public")),
        ]
        counts.append(found)
    assert counts[0] == counts[1]


def test_registration_asks_for_the_baseline_and_is_frozen_once_started(client):
    questionnaire()
    training = make_training(places=5)
    organization, editor = organization_with()
    client.force_login(editor)
    response = _register(client, training, organization, ["Arta"])
    page = client.get(response["Location"]).content.decode()
    assert "fill in your organisation&#x27;s self-assessment (the baseline)" in page
    Training.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        registration_closes_at=timezone.now() - timedelta(minutes=10),
        registration_opens_at=timezone.now() - timedelta(days=3),
    )
    response = client.get(url("training_register", training.pk) + f"?organization={organization.pk}")
    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
