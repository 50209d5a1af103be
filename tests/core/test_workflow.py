"""core.workflow: the table decides, the permission decides, one move writes one
StatusChange (and nothing when refused), the buttons and badges come from the declaration.
The object moved is an existing model (a giving record: a status, updated_at and
simple_history); the workflow is declared here, under a model key of its own."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from core import workflow as workflows
from core.models import StatusChange
from core.workflow import TransitionNotAllowed, Workflow
from giving.choices import Status
from giving.models import GivingRecord
from tests import factories
from tests.giving.factories import GivingRecordFactory

pytestmark = pytest.mark.django_db

FAKE = Workflow(
    name="tests.fake",
    model="tests.fake",  # not a real model: for_model never finds it
    statuses=Status,
    moves={
        Status.REPORTED: {
            Status.VERIFIED: "giving.moderate_record",
            Status.REJECTED: "giving.moderate_record",
        },
        Status.VERIFIED: {Status.REPORTED: "giving.change_record"},
        Status.REJECTED: {},
    },
    labels={Status.VERIFIED: gettext_lazy("Verify"), Status.REJECTED: gettext_lazy("Reject")},
    colours={Status.REPORTED: "light", Status.VERIFIED: "success"},
    guards={Status.REJECTED: lambda record: record.amount < 1_000_000},
)


@pytest.fixture
def staff():
    return factories.StaffFactory()


def _row(record) -> tuple:
    record = GivingRecord.objects.get(pk=record.pk)
    return record.status, record.updated_at


# --- the table ----------------------------------------------------------------------------


def test_check_returns_the_permission_of_an_allowed_move():
    assert FAKE.check(Status.REPORTED, Status.VERIFIED) == "giving.moderate_record"
    assert FAKE.allows(Status.REPORTED, Status.REJECTED)
    assert not FAKE.allows(Status.REJECTED, Status.REPORTED)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.REJECTED, Status.VERIFIED),
        (Status.VERIFIED, Status.VERIFIED),
        ("nonsense", Status.VERIFIED),
        (None, "x"),
    ],
)
def test_check_refuses_what_the_table_does_not_allow(current, target):
    with pytest.raises(TransitionNotAllowed) as refused:
        FAKE.check(current, target)
    assert isinstance(refused.value, ValidationError)
    assert refused.value.code == "transition_not_allowed"


def test_the_refusal_names_both_statuses_in_the_language_of_the_page():
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        FAKE.check(Status.REJECTED, Status.VERIFIED)
    assert refused.value.messages == ["“Rejected” cannot become “Verified”."]


def test_a_caller_may_give_its_own_refusal():
    with pytest.raises(TransitionNotAllowed) as refused:
        FAKE.check(Status.REJECTED, Status.VERIFIED, refusal="Already rejected.")
    assert refused.value.messages == ["Already rejected."]


# --- one move -----------------------------------------------------------------------------


def test_move_saves_the_status_and_writes_one_status_change(staff):
    record = GivingRecordFactory()
    before = record.updated_at
    change = FAKE.move(record, Status.VERIFIED, actor=staff, note="Checked with the donor.")
    status, updated_at = _row(record)
    assert status == Status.VERIFIED and updated_at > before
    assert StatusChange.objects.count() == 1
    assert (
        change.content_type,
        change.object_id,
        change.workflow,
        change.from_status,
        change.to_status,
        change.actor,
        change.note,
    ) == (
        ContentType.objects.get_for_model(GivingRecord),
        record.pk,
        "tests.fake",
        Status.REPORTED,
        Status.VERIFIED,
        staff,
        "Checked with the donor.",
    )
    assert change.subject == record
    # simple_history knows who did it
    assert record.history.latest().history_user == staff


def test_move_saves_the_callers_fields_too(staff):
    record = GivingRecordFactory()
    record.reviewed_by = staff
    record.donor_name = "not saved: not in fields"
    FAKE.move(record, Status.VERIFIED, actor=staff, fields=["reviewed_by"])
    record = GivingRecord.objects.get(pk=record.pk)
    assert record.reviewed_by == staff
    assert record.donor_name != "not saved: not in fields"


def test_a_move_the_table_refuses_writes_nothing(staff):
    record = GivingRecordFactory(status=Status.REJECTED, rejection_reason="x")
    before = _row(record)
    with pytest.raises(TransitionNotAllowed):
        FAKE.move(record, Status.VERIFIED, actor=staff)
    assert _row(record) == before
    assert not StatusChange.objects.exists()


def test_a_move_without_the_permission_writes_nothing():
    record = GivingRecordFactory()
    before = _row(record)
    with pytest.raises(PermissionDenied):
        FAKE.move(record, Status.VERIFIED, actor=factories.UserFactory())
    assert _row(record) == before
    assert not StatusChange.objects.exists()


def test_check_perm_false_leaves_the_permission_to_the_caller():
    citizen = factories.UserFactory()
    record = GivingRecordFactory()
    FAKE.move(record, Status.VERIFIED, actor=citizen, check_perm=False)
    assert StatusChange.objects.get().actor == citizen


def test_history_lists_the_moves_of_one_object_oldest_first(staff):
    record, other = GivingRecordFactory(), GivingRecordFactory()
    FAKE.move(record, Status.VERIFIED, actor=staff)
    FAKE.move(other, Status.VERIFIED, actor=staff)
    FAKE.move(record, Status.REPORTED, actor=staff, check_perm=False, note="again")
    assert [(c.from_status, c.to_status, c.note) for c in FAKE.history(record)] == [
        (Status.REPORTED, Status.VERIFIED, ""),
        (Status.VERIFIED, Status.REPORTED, "again"),
    ]
    # the model's own workflow (giving.workflow.RECORD) reads the same rows
    assert list(workflows.history(record)) == list(FAKE.history(record))


# --- what pages show ------------------------------------------------------------------------


def test_available_moves_follow_the_table_the_permission_and_the_guards(staff):
    record = GivingRecordFactory()
    with translation.override("en"):
        assert FAKE.available_moves(staff, record) == [
            (Status.VERIFIED, "Verify"),
            (Status.REJECTED, "Reject"),
        ]
        assert FAKE.available_moves(factories.UserFactory(), record) == []
        record.amount = 2_000_000  # the guard hides the rejection
        assert FAKE.available_moves(staff, record) == [(Status.VERIFIED, "Verify")]
        record.status = Status.REJECTED
        assert FAKE.available_moves(staff, record) == []


def test_for_model_finds_the_apps_declaration():
    from giving.workflow import RECORD

    assert workflows.for_model(GivingRecord) is RECORD
    assert workflows.by_name("giving.record") is RECORD
    with pytest.raises(LookupError):
        workflows.for_model(StatusChange)


def _render(source: str, **context) -> str:
    return Template("{% load core_tags %}" + source).render(Context(context)).strip()


def test_status_badge_shows_the_label_in_the_workflows_colour():
    with translation.override("en"):
        verified = _render("{% status_badge record %}", record=GivingRecordFactory(status=Status.VERIFIED))
        by_name = _render('{% status_badge status="rejected" workflow="giving.record" css="fs-6" %}')
        relabelled = _render('{% status_badge record label="Mine" %}', record=GivingRecordFactory())
    assert verified.endswith('<span class="badge text-bg-success">Verified</span>')
    assert by_name.endswith('<span class="badge text-bg-danger fs-6">Rejected</span>')
    assert relabelled.endswith('<span class="badge text-bg-secondary">Mine</span>')


def test_a_light_badge_gets_a_border():
    html = _render('{% status_badge status="draft" workflow="transparency.report" %}')
    assert 'class="badge text-bg-light border"' in html


def test_move_buttons_draw_one_form_per_available_move(staff):
    record = GivingRecordFactory()
    request = RequestFactory().get("/")
    request.user = staff
    with translation.override("en"):
        html = _render(
            '{% include "core/includes/_move_buttons.html" with obj=record action="/move/" %}',
            record=record,
            request=request,
        )
    assert html.count('<form method="post" action="/move/"') == 2
    assert 'name="target" value="verified"' in html and ">Verify</button>" in html
    assert 'name="target" value="rejected"' in html and ">Reject</button>" in html
    request.user = factories.UserFactory()
    assert "<form" not in _render(
        '{% include "core/includes/_move_buttons.html" with obj=record action="/move/" %}',
        record=record,
        request=request,
    )
