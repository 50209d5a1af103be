"""Weighted-rubric reviews with the conflict of interest declared first, for every app that
scores what people submit (grants' applications, academy's applications).

What is shared lives here; each app keeps its own models (made from these abstract bases),
its own lock order and its own checks of the object under review:

    class Criterion(RubricCriterion):              # weight and max_score
        call = models.ForeignKey(...)
    class ReviewAssignment(ReviewRecord):          # status, COI, comment, weighted score
        application = models.ForeignKey(...); reviewer = ...
    class Score(RubricScore):                       # score and comment of one criterion
        assignment = models.ForeignKey(ReviewAssignment, related_name="scores")
        criterion = models.ForeignKey(Criterion, related_name="scores")

A review moves assigned → accepted (no conflict) or conflicted → submitted:

    with transaction.atomic():
        assignment = <lock the assignment of this reviewer>       # PermissionDenied if none
        declare_conflict(assignment, actor=user, has_conflict=False)
    ...
        check_scoring_open(assignment)                          # COI first, not twice
        clean, errors = clean_scores(criteria, raw_scores, submit=True)
        if errors: raise ValidationError(errors)
        store_review(assignment, actor=user, score_model=Score, criteria=criteria,
                     clean=clean, comments=..., comment=..., submit=True)

`ConflictForm` and `RubricForm` are the pages' forms (an app adds its own fields, e.g.
grants' recommendation, by subclassing `RubricForm`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CENT = Decimal("0.01")
TEXT = {"class": "form-control"}


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", gettext_lazy("Assigned — conflict of interest not declared yet")
    ACCEPTED = "accepted", gettext_lazy("No conflict declared — reviewing")
    CONFLICTED = "conflicted", gettext_lazy("Declined: conflict of interest")
    SUBMITTED = "submitted", gettext_lazy("Review submitted")


R = ReviewStatus


# --- abstract models --------------------------------------------------------------------------


class RubricCriterion(models.Model):
    """One criterion of a weighted rubric: its weight and the highest score it takes."""

    weight = models.DecimalField(
        gettext_lazy("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_score = models.PositiveSmallIntegerField(
        gettext_lazy("maximum score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        abstract = True


class ReviewRecord(models.Model):
    """One reviewer's review: the conflict-of-interest declaration, an overall comment and the
    weighted score (0–100) once submitted. The app adds the object and the reviewer."""

    status = models.CharField(
        gettext_lazy("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    coi_declared_at = models.DateTimeField(
        gettext_lazy("conflict of interest declared"), null=True, blank=True
    )
    coi_note = models.TextField(gettext_lazy("conflict of interest"), blank=True)
    comment = models.TextField(gettext_lazy("overall comment"), blank=True)
    weighted_score = models.DecimalField(
        gettext_lazy("weighted score (0–100)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(gettext_lazy("review submitted"), null=True, blank=True)

    class Meta:
        abstract = True


class RubricScore(models.Model):
    """A reviewer's score of one criterion (the app adds `assignment` and `criterion`)."""

    score = models.PositiveSmallIntegerField(gettext_lazy("score"))
    comment = models.TextField(gettext_lazy("comment"), blank=True)

    class Meta:
        abstract = True


# --- scores -----------------------------------------------------------------------------------


def whole_number(raw) -> int:
    """A score as typed: a whole number ("4", 4, 4.0); not 4.5, True, NaN, "1e309"."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    number = Decimal(str(raw).strip())
    if not number.is_finite() or number != number.to_integral_value() or abs(number) > 10**6:
        raise ValueError(raw)
    return int(number)


def weighted_score(scores: dict, criteria) -> Decimal:
    """0–100: Σ(weight × score / max) / Σ weight × 100."""
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    if not total_weight:
        return Decimal("0.00")
    value = sum((c.weight * Decimal(scores[c.pk]) / Decimal(c.max_score) for c in criteria), Decimal(0))
    return (value / total_weight * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def clean_scores(criteria, scores: dict, *, submit: bool) -> tuple[dict, list]:
    """({criterion pk: whole score}, [translated errors]) of the scores as posted (keyed by the
    criterion's pk or its string). A blank score is an error only when submitting."""
    errors, clean = [], {}
    for criterion in criteria:
        raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))
        if raw in (None, ""):
            if submit:
                errors.append(_("Score “%(criterion)s”.") % {"criterion": criterion.title})
            continue
        try:
            value = whole_number(raw)
        except (TypeError, ValueError, ArithmeticError):
            errors.append(_("“%(criterion)s”: enter a whole number.") % {"criterion": criterion.title})
            continue
        if not 0 <= value <= criterion.max_score:
            errors.append(
                _("“%(criterion)s”: the score must be between 0 and %(max)s.")
                % {"criterion": criterion.title, "max": criterion.max_score}
            )
            continue
        clean[criterion.pk] = value
    return clean, errors


# --- the moves of one review (the caller holds the transaction and the locks) ----------------


def check_conflict_open(assignment) -> None:
    """The declaration is made once, before anything else."""
    if assignment.status != R.ASSIGNED:
        raise ValidationError(
            _("You have already declared your conflict of interest."), code="already_declared"
        )


def declare_conflict(assignment, *, actor, has_conflict: bool, note: str = ""):
    """The reviewer declares, before seeing the submission, whether they have a conflict of
    interest: a conflict declines the assignment, none opens the submission for scoring.
    The caller has locked `assignment` and checked the object is still under review."""
    check_conflict_open(assignment)
    assignment.coi_declared_at = timezone.now()
    assignment.coi_note = (note or "").strip()[:2000]
    if has_conflict and not assignment.coi_note:
        raise ValidationError({"note": _("Describe the conflict of interest.")})
    assignment.status = R.CONFLICTED if has_conflict else R.ACCEPTED
    assignment._history_user = actor
    assignment.save(update_fields=["coi_declared_at", "coi_note", "status", "updated_at"])
    return assignment


def check_scoring_open(assignment) -> None:
    """Scores are given after a "no conflict" declaration, and only until the review is sent."""
    if assignment.status == R.SUBMITTED:
        raise ValidationError(
            _("Your review was already submitted; it can no longer be changed."), code="submitted"
        )
    if assignment.status != R.ACCEPTED:
        raise ValidationError(_("Declare your conflict of interest first."), code="coi_first")


def store_review(
    assignment,
    *,
    actor,
    score_model,
    criteria,
    clean: dict,
    comments: dict | None = None,
    comment: str = "",
    submit: bool = False,
    fields=(),
):
    """Save the checked scores (one `score_model` row per criterion scored), the overall comment
    and, with `submit`, the weighted score, time and status. `fields` are the app's own fields
    set on `assignment` by the caller (e.g. a recommendation)."""
    comments = comments or {}
    for criterion in criteria:
        if criterion.pk in clean:
            score_model.objects.update_or_create(
                assignment=assignment,
                criterion=criterion,
                defaults={
                    "score": clean[criterion.pk],
                    "comment": str(comments.get(criterion.pk, comments.get(str(criterion.pk), "")) or "")[
                        :5000
                    ],
                },
            )
    assignment.comment = (comment or "").strip()[:10000]
    update_fields = [*fields, "comment", "updated_at"]
    if submit:
        assignment.weighted_score = weighted_score(clean, criteria)
        assignment.submitted_at = timezone.now()
        assignment.status = R.SUBMITTED
        update_fields += ["weighted_score", "submitted_at", "status"]
    assignment._history_user = actor
    assignment.save(update_fields=update_fields)
    return assignment


# --- forms ------------------------------------------------------------------------------------


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=gettext_lazy("Do you have a conflict of interest with this application?"),
        choices=[
            ("no", gettext_lazy("No, I have no conflict of interest")),
            ("yes", gettext_lazy("Yes, I have a conflict of interest")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "For example: you work for, advise or are related to the applicant, or you would gain from"
            " the decision."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Describe the conflict"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text=gettext_lazy("Required when you have a conflict of interest."),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the conflict of interest."))
        return data


class RubricForm(forms.Form):
    """A score (0..max) and a comment per criterion and an overall comment. Blank scores are
    allowed in a draft; the service checks completeness on submission. `rows` gives the
    template (criterion, score field, comment field) in the criteria's order."""

    comment = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("Score (0–%(max)s)") % {"max": criterion.max_score},
                required=False,
                min_value=0,
                max_value=criterion.max_score,
                widget=forms.NumberInput(attrs={**TEXT, "min": 0, "max": criterion.max_score, "step": 1}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
            )
        self.rows = [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {
            c.pk: self.cleaned_data[f"score_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }

    def comments(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}
