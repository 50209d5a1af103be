"""Forms of KCSF's pages and of the reviewer's pages. They only parse input: every rule
that matters is checked again by the service the view calls."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Municipality
from core.money import MoneyField
from core.review import ConflictForm, RubricForm  # noqa: F401 (ConflictForm: grants.forms.staff.ConflictForm)
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


class ReviewForm(RubricForm):
    """The kernel's rubric form (a score 0..max and a comment per criterion of the stage, an
    overall comment) and grants' recommendation. Blank scores are allowed in a draft; the
    service checks completeness on submission."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=_blank(_("Choose…"), Recommendation.choices),
        widget=forms.Select(attrs=SELECT),
    )
