"""The academy's forms (parsing only; the services decide)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.choices import FEEDBACK_QUESTIONS, NoteKind, StakeholderKind, StakeholderRelation
from academy.models import CohortApplication, CommunityProject, Training
from academy.services.selection import reviewer_pool
from core.models import Municipality

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={**TEXT, **(attrs or {})}, format="%Y-%m-%d")


class EligibilityForm(forms.Form):
    """The check before starting: date of birth and municipality."""

    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d.%m.%Y"]
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality where you live"),
        queryset=Municipality.objects.all(),
        widget=forms.Select(attrs=SELECT),
        empty_label=_("Choose…"),
    )


class ApplicationForm(forms.ModelForm):
    """The answers; all may be blank in a draft, the submission checks them."""

    class Meta:
        model = CohortApplication
        fields = [
            "motivation",
            "community_issue",
            "availability",
            "reference_name",
            "reference_contact",
            "gender",
        ]
        widgets = {
            "gender": forms.Select(attrs=SELECT),
            "motivation": forms.Textarea(attrs={**TEXT, "rows": 5, "maxlength": 5000}),
            "community_issue": forms.Textarea(attrs={**TEXT, "rows": 4, "maxlength": 5000}),
            "availability": forms.Textarea(attrs={**TEXT, "rows": 2, "maxlength": 1000}),
            "reference_name": forms.TextInput(attrs=TEXT),
            "reference_contact": forms.TextInput(attrs=TEXT),
        }
        help_texts = {
            "motivation": _("Why do you want to join the Academy?"),
            "community_issue": _("Which issue of your community do you want to change, and why?"),
            "availability": _("Can you attend the sessions (weekends, evenings)?"),
            "reference_contact": _("A teacher, youth worker or someone who knows your work."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"), queryset=reviewer_pool(), widget=forms.SelectMultiple(attrs=SELECT)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewer_pool()
        self.fields["reviewers"].label_from_instance = lambda user: user.full_name or user.email


DECISIONS = [
    ("", _("Leave for now")),
    ("select", _("Select")),
    ("wait", _("Waiting list")),
    ("no", _("Not selected")),
]


class MentorNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices, widget=forms.Select(attrs=SELECT))
    met_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    body = forms.CharField(
        label=_("Note"), max_length=10000, widget=forms.Textarea(attrs={**TEXT, "rows": 4})
    )


class ProjectForm(forms.ModelForm):
    class Meta:
        model = CommunityProject
        fields = ["title", "issue", "plan", "peers_mobilised", "result"]
        widgets = {
            "title": forms.TextInput(attrs=TEXT),
            "issue": forms.Textarea(attrs={**TEXT, "rows": 3}),
            "plan": forms.Textarea(attrs={**TEXT, "rows": 4}),
            "peers_mobilised": forms.NumberInput(attrs={**TEXT, "min": 0}),
            "result": forms.Textarea(attrs={**TEXT, "rows": 3}),
        }


class MaterialForm(forms.Form):
    """A file or a link for a session (the service checks the file's real type and size)."""

    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png"}),
        help_text=_("PDF, Word, Excel, OpenDocument, JPEG or PNG, at most 20 MB."),
    )
    link = forms.URLField(
        label=_("Or a link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs=TEXT),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("link")):
            raise forms.ValidationError(_("Attach a file or give a link (one of the two)."))
        return data


class ReviewerSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a reviewer by name or email"), max_length=100, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )


# --- CSO capacity trainings, self-assessment, community mapping --------------------------------

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
SCORES = [(str(n), str(n)) for n in range(1, 6)]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={**TEXT, **(attrs or {})}, format=DATETIME_FORMAT)


def _https_links(field, **kwargs):
    """Model fields to form fields, links read as https:// when the scheme is left out."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class TrainingForm(forms.ModelForm):
    """Staff set up a training (the service checks the dates and places)."""

    class Meta:
        model = Training
        formfield_callback = _https_links
        fields = [
            "topic",
            "title_sq",
            "title_sr",
            "title_en",
            "description_sq",
            "description_sr",
            "description_en",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "places",
            "registration_opens_at",
            "registration_closes_at",
        ]
        widgets = {
            "topic": forms.Select(attrs=SELECT),
            "title_sq": forms.TextInput(attrs=TEXT),
            "title_sr": forms.TextInput(attrs=TEXT),
            "title_en": forms.TextInput(attrs=TEXT),
            "description_sq": forms.Textarea(attrs={**TEXT, "rows": 3}),
            "description_sr": forms.Textarea(attrs={**TEXT, "rows": 3}),
            "description_en": forms.Textarea(attrs={**TEXT, "rows": 3}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "place": forms.TextInput(attrs=TEXT),
            "online_link": forms.URLInput(attrs=TEXT),
            "places": forms.NumberInput(attrs={**TEXT, "min": 1, "max": 1000}),
            "registration_opens_at": DateTimeInput(),
            "registration_closes_at": DateTimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]

    def _post_clean(self):
        """The service checks the invariants and saves; the model's own checks are not run here."""


class TrainingMaterialForm(forms.Form):
    """A file for a CSO training (the service checks the file's real type and size)."""

    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    file = forms.FileField(
        label=_("File (PDF, Word, Excel, OpenDocument, PNG or JPEG)"),
        widget=forms.ClearableFileInput(attrs=TEXT),
    )


def _score_field(label):
    return forms.TypedChoiceField(
        label=label, choices=SCORES, coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )


class FeedbackForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FEEDBACK_QUESTIONS:
            self.fields[name] = _score_field(label)
        self.fields["comment"] = forms.CharField(
            label=_("Anything else you want to tell us"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        )


class AssessmentForm(forms.Form):
    """One 1–5 answer per active question, field `q<pk>`; `groups()` gives them by area."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _score_field(question.text)

    def groups(self):
        groups, current = [], None
        for question in self.questions:
            if current is None or current["area"].pk != question.area_id:
                current = {"area": question.area, "fields": []}
                groups.append(current)
            current["fields"].append(self[f"q{question.pk}"])
        return groups

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class StakeholderForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=StakeholderKind.choices, widget=forms.Select(attrs=SELECT)
    )
    registry_organization = forms.ModelChoiceField(
        label=_("An organisation from the registry"),
        queryset=Training.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        empty_label=_("— none: type a name below —"),
    )
    name = forms.CharField(
        label=_("Or its name"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    interest = forms.TypedChoiceField(
        label=_("Interest (1–5)"), choices=SCORES, coerce=int, widget=forms.Select(attrs=SELECT)
    )
    influence = forms.TypedChoiceField(
        label=_("Influence (1–5)"), choices=SCORES, coerce=int, widget=forms.Select(attrs=SELECT)
    )
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=StakeholderRelation.choices,
        initial=StakeholderRelation.UNKNOWN,
        widget=forms.Select(attrs=SELECT),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["registry_organization"].queryset = organizations


class MapSettingsForm(forms.Form):
    locality = forms.CharField(
        label=_("Locality"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    shared = forms.BooleanField(
        label=_("Share the map publicly"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
