"""Revisions and their comparison: `diff_snapshots` on its own, and the pages after KCSF
asked for changes and the applicant resubmitted through the services."""

import pytest
from django.urls import reverse
from django.utils import translation

from grants.choices import ApplicationStatus, QuestionKind
from grants.revisions import diff_snapshots, highlight_words, with_highlights
from grants.services import applications as app_services
from grants.services import assessment
from tests.grants.factories import VALID_BUDGET_ROWS
from tests.grants.test_applications_support import (  # noqa: F401  (cast_fixture: the `cast` fixture)
    LOGIN,
    cast_fixture,
    check,
    in_status,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


# --- diff_snapshots -------------------------------------------------------------------------


def _snapshot(**overrides):
    base = {
        "stage": "full",
        "applicant_type": "individual",
        "applicant": "Ana",
        "group_name": "",
        "group_members": [
            {"name": "Ana", "role": "lead", "email": ""},
            {"name": "Besa", "role": "", "email": ""},
        ],
        "title": "Clean river",
        "summary": "Cleaning the river.",
        "municipality": "Prishtinë",
        "starts_on": "2026-05-01",
        "ends_on": "2026-09-01",
        "answers": [
            {
                "key": "q1",
                "label": {"sq": "Problemi", "sr": "Problem", "en": "The problem"},
                "value": "Plastic",
                "display": "Plastic",
            },
            {
                "key": "q2",
                "label": {"sq": "Grupi", "sr": "", "en": "Group"},
                "value": "1",
                "display": "Youth",
            },
        ],
        "budget": [
            {
                "category": "events",
                "item": "Workshops",
                "quantity": "4",
                "unit_cost": "1000.00",
                "amount": "4000.00",
                "requested": "2500.00",
                "cofinancing": "1500.00",
            },
            {
                "category": "staff",
                "item": "Coordinator",
                "quantity": "1",
                "unit_cost": "2000.00",
                "amount": "2000.00",
                "requested": "2000.00",
                "cofinancing": "0.00",
            },
        ],
        "totals": {"requested": "4500.00", "cofinancing": "1500.00", "total": "6000.00"},
        "activities": [
            {"title": "Workshops", "starts_on": "2026-05-01", "ends_on": "2026-06-01", "description": ""}
        ],
        "attachments": [{"id": 1, "name": "cv.pdf", "requirement": "CV", "question": None, "size": 2048}],
    }
    base.update(overrides)
    return base


def test_identical_snapshots_have_no_changes():
    assert diff_snapshots(_snapshot(), _snapshot()) == []


def test_project_answers_and_labels_in_the_readers_language():
    new = _snapshot(
        title="Clean rivers", answers=[{**_snapshot()["answers"][0], "display": "Plastic bottles"}]
    )
    with translation.override("sq"):
        changes = diff_snapshots(_snapshot(), new)
    by_label = {c["label"]: c for c in changes}
    assert by_label["Problemi"] == {
        "section": "answers",
        "label": "Problemi",
        "old": "Plastic",
        "new": "Plastic bottles",
        "kind": "changed",
    }
    assert by_label["Grupi"]["kind"] == "removed"  # the question left the form
    assert any(c["section"] == "project" and c["new"] == "Clean rivers" for c in changes)
    with translation.override("sr-latn"):
        labels = {c["label"] for c in diff_snapshots(_snapshot(), new)}
    assert {"Problem", "Grupi"} <= labels  # no Serbian label: the Albanian one


def test_budget_lines_by_item_then_position_and_totals(english):
    old = _snapshot()
    new_budget = [
        {
            **old["budget"][1],
            "quantity": "2",
            "amount": "4000.00",
            "requested": "4000.00",
        },  # moved and changed
        {**old["budget"][0], "item": "Training workshops"},  # renamed in place
        {
            "category": "travel",
            "item": "Bus",
            "quantity": "1",
            "unit_cost": "100",
            "amount": "100.00",
            "requested": "100.00",
            "cofinancing": "0",
        },
    ]
    new = _snapshot(
        budget=new_budget, totals={"requested": "6600.00", "cofinancing": "1500.00", "total": "8100.00"}
    )
    changes = [c for c in diff_snapshots(old, new) if c["section"] in ("budget", "totals")]
    budget = {c["label"]: c for c in changes if c["section"] == "budget"}
    assert budget["Budget line: Coordinator"]["kind"] == "changed"
    assert "2 × €2,000.00 = €4,000.00" in budget["Budget line: Coordinator"]["new"]
    assert budget["Budget line: Training workshops"]["kind"] == "changed"
    assert "Workshops" in budget["Budget line: Training workshops"]["old"]
    assert budget["Budget line: Bus"]["kind"] == "added"
    totals = {c["label"]: c for c in changes if c["section"] == "totals"}
    assert totals["Amount requested"]["old"] == "€4,500.00"
    assert totals["Amount requested"]["new"] == "€6,600.00"
    assert "Co-financing" not in totals


def test_removed_budget_line(english):
    old = _snapshot()
    new = _snapshot(budget=old["budget"][:1])
    [change] = [c for c in diff_snapshots(old, new) if c["section"] == "budget"]
    assert change["kind"] == "removed" and change["label"] == "Budget line: Coordinator"


def test_activities_members_and_attachments_by_name(english):
    old = _snapshot()
    new = _snapshot(
        activities=[
            {**old["activities"][0], "ends_on": "2026-07-01"},
            {"title": "Clean-up day", "starts_on": "2026-07-02", "ends_on": "2026-07-02"},
        ],
        group_members=[old["group_members"][0], {"name": "Drita", "role": "", "email": ""}],
        attachments=[
            {"id": 7, "name": "cv.pdf", "size": 4096},
            {"id": 8, "name": "statute.pdf", "size": 100},
        ],
    )
    changes = diff_snapshots(old, new)
    kinds = {(c["section"], c["label"]): c["kind"] for c in changes}
    assert kinds[("activities", "Workshops")] == "changed"
    assert kinds[("activities", "Clean-up day")] == "added"
    assert kinds[("group_members", "Besa")] == "removed"
    assert kinds[("group_members", "Drita")] == "added"
    assert kinds[("attachments", "cv.pdf")] == "changed"
    assert kinds[("attachments", "statute.pdf")] == "added"


def test_missing_or_odd_data_never_raises():
    assert diff_snapshots({}, {}) == []
    changes = diff_snapshots(
        None, {"title": "X", "answers": "oops", "budget": [1, None, {"item": None}], "totals": []}
    )
    assert any(c["label"] and c["new"] == "X" for c in changes)
    assert diff_snapshots({"budget": [{"quantity": "NaN", "unit_cost": "x"}]}, {})[0]["kind"] == "removed"


def test_highlight_words_escapes_and_marks():
    old_html, new_html = highlight_words("The <b>river</b> is dirty", "The <b>river</b> is very clean")
    assert "<b>" not in old_html and "&lt;b&gt;river&lt;/b&gt;" in new_html
    assert '<del class="bg-danger-subtle">dirty</del>' in old_html
    assert '<ins class="bg-success-subtle">very clean</ins>' in new_html


def test_with_highlights_only_for_long_changed_texts():
    long_old, long_new = "word " * 30, "word " * 29 + "change"
    shown = with_highlights(
        [
            {"section": "answers", "label": "L", "old": long_old, "new": long_new, "kind": "changed"},
            {"section": "answers", "label": "S", "old": "a", "new": "b", "kind": "changed"},
        ]
    )
    assert shown[0]["old_html"] and "<ins" in shown[0]["new_html"]
    assert "old_html" not in shown[1]


# --- the pages, after a request for changes and a resubmission --------------------------------


def _resubmitted(
    staff=None,
    answer="The river is full of plastic and <script>alert(1)</script> bottles, and the fish are gone for good.",
):
    application = in_status(S.CHANGES_REQUESTED, staff=staff)
    question = application.call.questions.get(kind=QuestionKind.LONG_TEXT)
    app_services.application_save_answers(
        actor=application.applicant, application=application, answers={question.key: answer}
    )
    rows = [dict(row) for row in VALID_BUDGET_ROWS]
    rows[0]["quantity"] = "5"  # workshops: 4 → 5 (requested 3,500)
    app_services.application_save_budget(actor=application.applicant, application=application, rows=rows)
    application = app_services.application_submit(actor=application.applicant, application=application)
    assert application.revisions.count() == 2
    return application, question


def _compare_url(application, number=2, lang="en", query=""):
    with translation.override(lang):
        url = reverse("grants:revision_compare", kwargs={"pk": application.pk, "number": number})
    return url + query


def _detail_url(application, number=1, lang="en"):
    with translation.override(lang):
        return reverse("grants:revision_detail", kwargs={"pk": application.pk, "number": number})


def test_compare_lists_the_changed_answer_and_budget_line(client, english):
    application, _question = _resubmitted()
    client.force_login(application.applicant)
    response = client.get(_compare_url(application))
    assert response.status_code == 200
    changes = response.context["changes"]
    answer = next(c for c in changes if c["section"] == "answers")
    assert answer["label"] == "What is the problem?"
    assert answer["old"] == "The river is full of plastic."
    line = next(c for c in changes if c["section"] == "budget")
    assert line["label"] == "Budget line: Workshops" and line["kind"] == "changed"
    assert any(c["section"] == "totals" and c["label"] == "Amount requested" for c in changes)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Word-level marks on the long answer, every word escaped first.
    assert answer["long"] and '<ins class="bg-success-subtle">' in str(answer["new_html"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in str(answer["new_html"])


def test_compare_default_is_the_previous_and_with_param(client, english):
    application, _ = _resubmitted()
    client.force_login(application.applicant)
    default = client.get(_compare_url(application)).context
    assert (default["old"].number, default["new"].number) == (1, 2)
    reverse_order = client.get(_compare_url(application, number=1, query="?with=2")).context
    assert (reverse_order["old"].number, reverse_order["new"].number) == (1, 2)
    first = client.get(_compare_url(application, number=1))
    assert first.status_code == 200 and first.context["other"] is None
    assert "nothing earlier to compare" in first.content.decode()


@pytest.mark.parametrize("bad,status", [("abc", 400), ("-1", 400), ("99999999999", 400), ("9", 404)])
def test_compare_with_bad_numbers(client, bad, status):
    application, _ = _resubmitted()
    client.force_login(application.applicant)
    assert client.get(_compare_url(application, query=f"?with={bad}")).status_code == status


def test_unknown_revision_is_404(client):
    application, _ = _resubmitted()
    client.force_login(application.applicant)
    assert client.get(_detail_url(application, 3)).status_code == 404
    assert client.get(_compare_url(application, 3)).status_code == 404
    assert (
        client.get(f"/en/grants/applications/{application.pk}/revisions/99999999999999999/").status_code
        == 404
    )


def test_revision_detail_shows_the_frozen_content_escaped(client, english):
    application, _ = _resubmitted()
    client.force_login(application.applicant)
    first = client.get(_detail_url(application, 1)).content.decode()
    second = client.get(_detail_url(application, 2)).content.decode()
    assert "The river is full of plastic." in first
    assert "&lt;script&gt;" in second and "<script>alert" not in second
    detail = client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})).content.decode()
    assert _detail_url(application, 2) in detail
    assert _compare_url(application, 2) in detail


@pytest.mark.parametrize(
    "role,expected",
    {
        "anonymous": LOGIN,
        "applicant": 200,
        "other_applicant": 404,
        "reviewer_assigned": 404,  # not cleared yet: no conflict declared
        "reviewer_cleared": 200,
        "reviewer_not_assigned": 404,
        "org_editor": 200,
        "org_viewer": 200,
        "staff": 200,
    }.items(),
)
def test_revision_pages_matrix(client, cast, role, expected):
    application = cast["application"]
    if role == "reviewer_cleared":
        user = cast["reviewer_assigned"]
        assessment.conflict_declare(actor=user, application=application, has_conflict=False)
    else:
        user = cast[role]
    for url in (_detail_url(application, 1), _compare_url(application, 1)):
        client.logout()
        check(login(client, user).get(url), expected)


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_revision_pages_render_in_every_language(client, lang):
    application, _ = _resubmitted()
    client.force_login(application.applicant)
    assert client.get(_detail_url(application, 2, lang)).status_code == 200
    response = client.get(_compare_url(application, 2, lang))
    assert response.status_code == 200
    assert response.context["changes"]
