"""The requester's forms: ask for help, a message, close with a rating, consent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.choices import Category, Language, Urgency
from assistance.forms.common import files_field
from assistance.models import HelpRequest
from core.models import Municipality


def submission_key_field() -> forms.UUIDField:
    """A one-time key the page carries: the same form sent twice is saved once."""
    return forms.UUIDField(required=False, widget=forms.HiddenInput)


class RequestForm(forms.ModelForm):
    submission_key = submission_key_field()
    organization = forms.ModelChoiceField(
        label=_("Asking for"),
        queryset=None,
        required=False,
        empty_label=_("Myself: an individual civic initiative"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    files = files_field()

    class Meta:
        model = HelpRequest
        fields = ["organization", "category", "title", "description", "urgency", "language", "municipality"]
        widgets = {
            "category": forms.Select(attrs={"class": "form-select"}),
            "title": forms.TextInput(attrs={"class": "form-control", "maxlength": 200}),
            "description": forms.Textarea(attrs={"class": "form-control", "rows": 6}),
            "urgency": forms.Select(attrs={"class": "form-select"}),
            "language": forms.Select(attrs={"class": "form-select"}),
            "municipality": forms.Select(attrs={"class": "form-select"}),
        }
        help_texts = {
            "description": _("What happened, what you need, and any deadline you face."),
            "language": _("The language in which you would like the answer."),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["category"].choices = Category.choices
        self.fields["urgency"].choices = Urgency.choices
        self.fields["language"].choices = Language.choices


class MessageForm(forms.Form):
    submission_key = submission_key_field()
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    files = files_field()


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class CloseForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How helpful was the answer? (1 = not at all, 5 = very)"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    solved = forms.TypedChoiceField(
        label=_("Was your issue solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that KCSF publishes this question and answer, anonymised, in the public knowledge base."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
