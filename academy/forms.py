"""The academy's forms (parsing only; the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.choices import NoteKind
from academy.models import CohortApplication, CommunityProject
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
