"""The kernel's weighted rubric (core.review): score checking, the weighted total, the
conflict-of-interest-first rule and the forms. Grants and academy build their reviews on it."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import review
from core.review import ConflictForm, ReviewStatus, RubricForm


def criterion(pk, weight="1", max_score=5, title=None):
    return SimpleNamespace(pk=pk, weight=Decimal(weight), max_score=max_score, title=title or f"C{pk}")


class FakeAssignment(SimpleNamespace):
    def save(self, update_fields):
        self.saved = list(update_fields)


def assignment(status=ReviewStatus.ASSIGNED):
    return FakeAssignment(status=status, coi_note="", coi_declared_at=None, comment="", saved=None)


@pytest.mark.parametrize(
    ("raw", "value"), [("4", 4), (4, 4), (4.0, 4), (" 3 ", 3), ("0", 0), (Decimal("2.00"), 2)]
)
def test_whole_number_accepts(raw, value):
    assert review.whole_number(raw) == value


@pytest.mark.parametrize("raw", ["4.5", True, False, "NaN", "1e309", "abc", "Infinity", 10**7])
def test_whole_number_refuses(raw):
    with pytest.raises((ValueError, ArithmeticError)):
        review.whole_number(raw)


def test_weighted_score():
    a, b, c = criterion(1, "2", 5), criterion(2, "1", 5), criterion(3, "1", 10)
    assert review.weighted_score({1: 5, 2: 5, 3: 10}, [a, b, c]) == Decimal("100.00")
    assert review.weighted_score({1: 0, 2: 0, 3: 0}, [a, b, c]) == Decimal("0.00")
    assert review.weighted_score({1: 5, 2: 0}, [a, b]) == Decimal("66.67")
    assert review.weighted_score({}, []) == Decimal("0.00")


@translation.override("en")
def test_clean_scores_draft_and_submit():
    criteria = [criterion(1, max_score=5, title="Motivation"), criterion(2, max_score=3, title="Idea")]
    clean, errors = review.clean_scores(criteria, {"1": "4"}, submit=False)
    assert clean == {1: 4} and errors == []
    clean, errors = review.clean_scores(criteria, {1: "4"}, submit=True)
    assert clean == {1: 4} and len(errors) == 1 and "Idea" in errors[0]
    clean, errors = review.clean_scores(criteria, {1: "9", 2: "1.5"}, submit=False)
    assert clean == {} and len(errors) == 2
    assert "between 0 and 5" in errors[0] and "whole number" in errors[1]


def test_conflict_first_then_once():
    item = assignment()
    with pytest.raises(ValidationError) as refused:
        review.check_scoring_open(item)
    assert refused.value.code == "coi_first"
    with pytest.raises(ValidationError):  # a conflict needs a description; nothing saved
        review.declare_conflict(item, actor=None, has_conflict=True, note="  ")
    assert item.saved is None
    review.declare_conflict(item, actor=None, has_conflict=False)
    assert item.status == ReviewStatus.ACCEPTED and item.coi_declared_at is not None
    assert "status" in item.saved
    review.check_scoring_open(item)  # open now
    with pytest.raises(ValidationError) as twice:
        review.declare_conflict(item, actor=None, has_conflict=True, note="my cousin")
    assert twice.value.code == "already_declared"


def test_conflict_declines():
    item = assignment()
    review.declare_conflict(item, actor=None, has_conflict=True, note="I advise them")
    assert item.status == ReviewStatus.CONFLICTED and item.coi_note == "I advise them"
    with pytest.raises(ValidationError):
        review.check_scoring_open(item)


def test_store_review_submits_with_weighted_score():
    stored = []

    class Scores:
        class objects:
            @staticmethod
            def update_or_create(**kwargs):
                stored.append(kwargs)

    item = assignment(ReviewStatus.ACCEPTED)
    criteria = [criterion(1, "3", 5), criterion(2, "1", 5)]
    review.store_review(
        item,
        actor=None,
        score_model=Scores,
        criteria=criteria,
        clean={1: 5, 2: 0},
        comments={"1": "good"},
        comment=" fine ",
        submit=True,
    )
    assert item.status == ReviewStatus.SUBMITTED and item.weighted_score == Decimal("75.00")
    assert item.comment == "fine" and item.submitted_at is not None
    assert [s["defaults"] for s in stored] == [{"score": 5, "comment": "good"}, {"score": 0, "comment": ""}]
    with pytest.raises(ValidationError) as sent:
        review.check_scoring_open(item)
    assert sent.value.code == "submitted"


def test_forms():
    form = ConflictForm({"has_conflict": "yes", "note": ""})
    assert not form.is_valid() and "note" in form.errors
    form = ConflictForm({"has_conflict": "no"})
    assert form.is_valid() and form.cleaned_data["has_conflict"] is False
    criteria = [criterion(7, max_score=4)]
    form = RubricForm({"score_7": "5"}, criteria=criteria)
    assert not form.is_valid()
    form = RubricForm({"score_7": "3", "comment_7": "ok", "comment": "all"}, criteria=criteria)
    assert form.is_valid() and form.scores() == {7: 3} and form.comments() == {7: "ok"}
    assert [row[0].pk for row in form.rows] == [7]
