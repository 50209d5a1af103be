"""Forms of volunteering: the profile, an opportunity, and the short forms of applying,
inviting, deciding, logging and disputing hours."""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, Sector
from volunteering.choices import FeedbackOutcome, Language, LanguageLevel
from volunteering.models import Opportunity, Skill, VolunteerProfile

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECK = {"class": "form-check-input"}
LEVEL_CHOICES = [("", _("—")), *LanguageLevel.choices]


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class ProfileForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        label=_("Skills"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    tags_text = forms.CharField(
        label=_("Other skills (free tags)"),
        required=False,
        max_length=600,
        help_text=_("Separated by commas, e.g. beekeeping, sign language."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    class Meta:
        model = VolunteerProfile
        fields = [
            "hours_per_week",
            "weekdays",
            "evenings",
            "weekends",
            "municipality",
            "work_mode",
            "country",
            "time_zone",
            "expertise",
            "expertise_note",
            "visibility",
            "contact_consent",
            "monthly_digest",
        ]
        widgets = {"visibility": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(
            z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
        )
        self.fields["time_zone"].choices = [("", _("Kosovo (Europe/Belgrade)")), *((z, z) for z in zones)]
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["contact_consent"].help_text = _(
            "Organisations may invite you and see your profile as you chose above. You can withdraw this at any time."
        )
        for code, label in Language.choices:
            self.fields[f"lang_{code}"] = forms.TypedChoiceField(
                label=label, choices=LEVEL_CHOICES, required=False, coerce=int, empty_value=None
            )
        if self.instance.pk:
            self.fields["skills"].initial = list(self.instance.skills.values_list("pk", flat=True))
            self.fields["tags_text"].initial = ", ".join(self.instance.tags)
            for lang in self.instance.languages.all():
                self.fields[f"lang_{lang.language}"].initial = lang.level
        _style(self)
        self.fields["visibility"].widget.attrs["class"] = "form-check-input"

    def language_fields(self):
        return [self[f"lang_{code}"] for code in Language.values]

    def profile_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["tags"] = [t for t in (self.cleaned_data.get("tags_text") or "").split(",") if t.strip()]
        return fields

    def languages(self) -> dict:
        return {
            code: self.cleaned_data[f"lang_{code}"]
            for code in Language.values
            if self.cleaned_data.get(f"lang_{code}")
        }


class OpportunityForm(forms.ModelForm):
    must = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        label=_("Skills needed (must have)"),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    nice = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        label=_("Skills nice to have"),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    languages = forms.MultipleChoiceField(
        choices=Language.choices, required=False, label=_("Languages"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "title",
            "description",
            "cause",
            "municipality",
            "remote",
            "starts_on",
            "ends_on",
            "ongoing",
            "places",
            "hours_per_week",
            "weekdays",
            "evenings",
            "weekends",
            "deadline",
            "brief",
            "expertise",
            "form",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "brief": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].queryset = Sector.objects.all()
        self.fields["municipality"].queryset = Municipality.objects.all()
        if self.instance.pk:
            needs = list(self.instance.skill_needs.values_list("skill_id", "required"))
            self.fields["must"].initial = [pk for pk, required in needs if required]
            self.fields["nice"].initial = [pk for pk, required in needs if not required]
            self.fields["languages"].initial = list(
                self.instance.languages.values_list("language", flat=True)
            )
        _style(self)
        self.fields["languages"].widget.attrs["class"] = "form-check-input"

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if (
            deadline
            and deadline < timezone.localdate()
            and self.has_changed()
            and "deadline" in self.changed_data
        ):
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def opportunity_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3, **TEXT})
    )


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date", **TEXT}))
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", **TEXT}),
    )
    description = forms.CharField(
        label=_("What was done"), max_length=500, widget=forms.TextInput(attrs=TEXT)
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class FeedbackForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FeedbackOutcome.choices, widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        help_text=_("1 = poor, 5 = excellent"),
    )
    would_work_again = forms.BooleanField(label=_("I would work together again"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"
