"""Forms of KCSF's pages and of the reviewer's pages. They only parse input: every rule
that matters is checked again by the service the view calls."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Municipality
from core.money import MoneyField
from grants.choices import ApplicantType, ApplicationStatus, Eligibility, Recommendation, Stage
from grants.services.assessment import reviewer_pool

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}


def _blank(label, choices):
    return [("", label), *choices]


class ApplicationFilterForm(forms.Form):
    """Filters of the staff list of a call's applications (GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("Reference, title or applicant")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(
            _("Any status"), [c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT]
        ),
        widget=forms.Select(attrs=SELECT),
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=_blank(_("Any eligibility"), Eligibility.choices),
        widget=forms.Select(attrs=SELECT),
    )
    applicant_type = forms.ChoiceField(
        label=_("Applying as"),
        required=False,
        choices=_blank(_("Any applicant"), ApplicantType.choices),
        widget=forms.Select(attrs=SELECT),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.all(),
        empty_label=_("Any municipality"),
        widget=forms.Select(attrs=SELECT),
    )

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class StageFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=_blank(_("Both stages"), Stage.choices),
        widget=forms.Select(attrs=SELECT),
    )


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Eligibility"),
        choices=[("eligible", _("Eligible")), ("ineligible", _("Ineligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text=_("Required when the application is ineligible; sent to the applicant."),
    )


class PeopleField(forms.ModelMultipleChoiceField):
    """Ids that are not plausible primary keys are refused before any query (no overflow)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isdecimal() or len(text) > 15:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text[:20]}
                )
        return super()._check_values(value)


class AssignForm(forms.Form):
    reviewers = PeopleField(
        label=_("Reviewers"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 6}),
        help_text=_("Only people in the pool of reviewers (staff and the “Grant reviewers” group)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewer_pool()
        self.fields["reviewers"].label_from_instance = lambda u: (
            f"{u.full_name} <{u.email}>" if u.full_name else u.email
        )


class RequestChangesForm(forms.Form):
    # Own ids: the staff page shows this form next to DecideForm, which has a "note" too.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_changes_%s")
        super().__init__(*args, **kwargs)

    note = forms.CharField(
        label=_("What should the applicant add or change?"),
        max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("invite", _("Invite to the full proposal")),
        ],
        widget=forms.RadioSelect,
    )
    amount = MoneyField(
        label=_("Approved amount (EUR)"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=_("Conditions (approval) or reason (rejection)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text=_("Sent to the applicant. A rejection needs a reason."),
    )

    def __init__(self, *args, decisions=None, **kwargs):
        kwargs.setdefault("auto_id", "id_decide_%s")  # unique ids next to RequestChangesForm
        super().__init__(*args, **kwargs)
        if decisions is not None:
            self.fields["decision"].choices = [
                c for c in self.fields["decision"].choices if c[0] in decisions
            ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the applicant"),
        max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )


# --- the reviewer ---------------------------------------------------------------------------


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this application?"),
        choices=[
            ("no", _("No, I have no conflict of interest")),
            ("yes", _("Yes, I have a conflict of interest")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "For example: you work for, advise or are related to the applicant, or you would gain from"
            " the decision."
        ),
    )
    note = forms.CharField(
        label=_("Describe the conflict"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text=_("Required when you have a conflict of interest."),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the conflict of interest."))
        return data


class ReviewForm(forms.Form):
    """A score (0..max) and a comment per criterion of the stage, an overall comment and a
    recommendation. Blank scores are allowed in a draft; the service checks completeness
    on submission."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=_blank(_("Choose…"), Recommendation.choices),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.rows = []
        for criterion in self.criteria:
            score_name, comment_name = f"score_{criterion.pk}", f"comment_{criterion.pk}"
            self.fields[score_name] = forms.IntegerField(
                label=_("Score (0–%(max)s)") % {"max": criterion.max_score},
                required=False,
                min_value=0,
                max_value=criterion.max_score,
                widget=forms.NumberInput(attrs={**TEXT, "min": 0, "max": criterion.max_score, "step": 1}),
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
            )
        # Fields in criterion order for the template (after the fields exist).
        self.rows = [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {
            c.pk: self.cleaned_data[f"score_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }

    def comments(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}
