"""Forms of the mentoring series: staff open one, the mentor plans and logs sessions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import Expert, MentoringSeries, MentoringSession
from organizations.models import Organization

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(attrs={"class": "form-control"}, format="%Y-%m-%d", **kwargs)


class SeriesForm(forms.ModelForm):
    class Meta:
        model = MentoringSeries
        fields = ["mentor", "organization", "topic", "goal", "started_on"]
        widgets = {
            "mentor": forms.Select(attrs={"class": "form-select"}),
            "organization": forms.Select(attrs={"class": "form-select"}),
            "topic": forms.TextInput(attrs={"class": "form-control"}),
            "goal": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
            "started_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Expert.objects.filter(active=True).select_related("user")
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        self.fields["started_on"].input_formats = DATE_FORMATS


class SessionPlanForm(forms.ModelForm):
    class Meta:
        model = MentoringSession
        fields = ["planned_on", "topic", "goals"]
        widgets = {
            "planned_on": DateInput(),
            "topic": forms.TextInput(attrs={"class": "form-control"}),
            "goals": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_on"].input_formats = DATE_FORMATS


class SessionLogForm(forms.ModelForm):
    class Meta:
        model = MentoringSession
        fields = ["held_on", "notes", "next_steps"]
        widgets = {
            "held_on": DateInput(),
            "notes": forms.Textarea(attrs={"class": "form-control", "rows": 5}),
            "next_steps": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }
        help_texts = {"notes": _("The organisation's members read the notes and the next steps.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        self.fields["notes"].required = True
        self.fields["held_on"].input_formats = DATE_FORMATS
