from django import forms
from django.utils.translation import gettext_lazy as _


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 8}),
        help_text=_("The requester reads it on the request page; it ends the expert's part."),
    )
