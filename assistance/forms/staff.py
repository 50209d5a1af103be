"""Staff forms: assign, decline, publish to the knowledge base, the triage filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.choices import Category
from assistance.models import Expert, KnowledgeEntry


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=_("Expert"), queryset=Expert.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.filter(pk__in=[e.pk for e in experts]).select_related(
            "user"
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the requester reads it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class KnowledgeForm(forms.ModelForm):
    class Meta:
        model = KnowledgeEntry
        fields = [
            "category",
            "question_sq",
            "answer_sq",
            "question_sr",
            "answer_sr",
            "question_en",
            "answer_en",
        ]
        widgets = {
            "category": forms.Select(attrs={"class": "form-select"}),
            **{
                name: forms.Textarea(
                    attrs={"class": "form-control", "rows": 3 if name.startswith("q") else 6}
                )
                for name in (
                    "question_sq",
                    "answer_sq",
                    "question_sr",
                    "answer_sr",
                    "question_en",
                    "answer_en",
                )
            },
        }


class TriageFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("unassigned", _("Unassigned")),
            ("overdue", _("Overdue")),
            ("open", _("All open")),
            ("all", _("All")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Category.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict:
        if self.is_valid():
            return {
                "view": self.cleaned_data["view"] or "unassigned",
                "category": self.cleaned_data["category"],
            }
        return {"view": "unassigned", "category": ""}
