"""A file input that takes several files (Django's recipe), for requests and messages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [d for d in data if d]
        return [data] if data else []


def files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_(
            "Up to 5 files: PDF, Word, OpenDocument, Excel, JPEG or PNG, at most 10 MB each. Only you, the expert and KCSF staff can open them."
        ),
    )
