"""Forms of dialogue's pages. They validate input; the writes are done by dialogue.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, Sector
from dialogue.choices import (
    AnswerVerdict,
    Audience,
    CommitmentStatus,
    DigestFrequency,
    EventKind,
    FollowUpKind,
)
from dialogue.models import Consultation, ConsultationSection, Event
from organizations.models import Organization

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format=DATETIME_FORMAT
        ),
    )


class EventFilterForm(forms.Form):
    """The public list's filters, all in the URL."""

    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        widget=forms.Select(attrs=SELECT),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All municipalities"),
        widget=forms.Select(attrs=SELECT),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Sector.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All topics"),
        widget=forms.Select(attrs=SELECT),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *EventKind.choices],
        widget=forms.Select(attrs=SELECT),
    )
    sector = forms.ChoiceField(
        label=_("Sector invited"),
        required=False,
        choices=[("", _("All sectors")), *Audience.choices],
        widget=forms.Select(attrs=SELECT),
    )


class EventForm(forms.ModelForm):
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    registration_opens_at = _datetime_field(_("Registration opens"))
    registration_closes_at = _datetime_field(_("Registration closes"))
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=forms.URLInput(attrs=TEXT),
    )

    class Meta:
        model = Event
        fields = [
            "organization",
            "kind",
            "title_sq",
            "title_sr",
            "title_en",
            "description_sq",
            "description_sr",
            "description_en",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "municipality",
            "registration_opens_at",
            "registration_closes_at",
        ]
        widgets = {
            "organization": forms.Select(attrs=SELECT),
            "kind": forms.Select(attrs=SELECT),
            "topic": forms.Select(attrs=SELECT),
            "municipality": forms.Select(attrs=SELECT),
            "title_sq": forms.TextInput(attrs=TEXT),
            "title_sr": forms.TextInput(attrs=TEXT),
            "title_en": forms.TextInput(attrs=TEXT),
            "description_sq": forms.Textarea(attrs={**TEXT, "rows": 4}),
            "description_sr": forms.Textarea(attrs={**TEXT, "rows": 4}),
            "description_en": forms.Textarea(attrs={**TEXT, "rows": 4}),
            "place": forms.TextInput(attrs=TEXT),
        }

    def __init__(self, *args, organizations=None, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations if organizations is not None else Organization.objects.none()
        field.required = not staff
        field.empty_label = _("KCSF") if staff else None
        if self.instance.pk:
            del self.fields["organization"]  # the organiser of an event does not change

    def clean(self):
        data = super().clean()
        needed = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
        if all(data.get(name) for name in needed):
            from dialogue.services.events import check_event_data

            try:
                check_event_data(data)
            except ValidationError as exc:
                # On the fields: the model's constraints on them are then not checked again.
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data

    def event_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "organization"}


class SectorForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", "—"), *Audience.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    places = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=10000, required=False, widget=forms.NumberInput(attrs=TEXT)
    )

    def clean(self):
        data = super().clean()
        if data.get("audience") and not data.get("places"):
            self.add_error("places", _("Give the number of places."))
        return data


class AgendaForm(forms.Form):
    starts_at = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    speakers = forms.CharField(
        label=_("Speakers"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("starts_at"):
            self.add_error("starts_at", _("Give the time."))
        if data.get("starts_at") and not data.get("title"):
            self.add_error("title", _("Give the title."))
        return data


SectorFormSet = formset_factory(SectorForm, extra=0, min_num=5, max_num=5, validate_max=True)
AgendaFormSet = formset_factory(AgendaForm, extra=3, max_num=30, validate_max=True)


def sectors_from(formset) -> list[tuple[str, int]]:
    return [
        (f.cleaned_data["audience"], f.cleaned_data["places"])
        for f in formset.forms
        if f.cleaned_data.get("audience")
    ]


def agenda_from(formset) -> list[dict]:
    return [
        {
            "starts_at": f.cleaned_data["starts_at"],
            "title": f.cleaned_data["title"],
            "speakers": f.cleaned_data.get("speakers", ""),
        }
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


class RegistrationForm(forms.Form):
    sector = forms.ModelChoiceField(
        label=_("Your sector"), queryset=None, empty_label=None, widget=forms.RadioSelect
    )
    organization = forms.ModelChoiceField(
        label=_("Your organisation in the registry"),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("— none / not in the registry —"),
        widget=forms.Select(attrs=SELECT),
    )
    organization_name = forms.CharField(
        label=_("Or type its name"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = event.sectors.all()
        self.fields["sector"].label_from_instance = lambda s: s.get_audience_display()


class TypedRegistrationForm(RegistrationForm):
    """The organiser registers someone by name and email (at the door, by phone)."""

    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs=TEXT))


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off", "autocapitalize": "characters"}),
    )


class CommitmentForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Committed organisation or institution"),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        to_field_name="slug",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": _("Choose an organisation of the registry.")},
    )
    what = forms.CharField(
        label=_("What was committed"), max_length=3000, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )
    due_date = forms.DateField(
        label=_("By when"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    indicator = forms.CharField(
        label=_("Indicator"), max_length=500, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    evidence_links = forms.CharField(
        label=_("Evidence links"),
        help_text=_("One web address a line."),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    strategy_measure_id = forms.TypedChoiceField(
        label=_("Strategy measure"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy_measure_id"].choices = [("", _("— none —")), *measures]

    def clean_evidence_links(self):
        return [line.strip() for line in self.cleaned_data["evidence_links"].splitlines() if line.strip()]


class CommitmentUpdateForm(CommitmentForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=CommitmentStatus.choices, widget=forms.Select(attrs=SELECT)
    )
    progress_note = forms.CharField(
        label=_("Progress"), max_length=3000, required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organization"]
        if statuses:
            self.fields["status"].choices = statuses


class CommitmentFilterForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Organisation or institution"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All"),
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *CommitmentStatus.choices],
        widget=forms.Select(attrs=SELECT),
    )
    event = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )


class PartnershipForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    goal = forms.CharField(label=_("Goal"), max_length=3000, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    started_on = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Member organisations"),
        help_text=_("At least two, of at least two different kinds (sectors)."),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
        error_messages={"invalid_choice": _("Choose organisations of the registry.")},
    )
    outputs = forms.CharField(
        label=_("Outputs"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )
    events = forms.ModelMultipleChoiceField(
        label=_("Linked events"),
        required=False,
        queryset=Event.objects.filter(status__in=("published", "cancelled")).order_by("-starts_at"),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
        error_messages={"invalid_choice": _("Choose published events.")},
    )
    commitments = forms.ModelMultipleChoiceField(
        label=_("Linked commitments"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
        error_messages={"invalid_choice": _("Choose commitments of published events.")},
    )

    def __init__(self, *args, statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        from dialogue.models import Commitment

        self.fields["commitments"].queryset = (
            Commitment.objects.filter(event__status__in=("published", "cancelled"))
            .select_related("organization")
            .order_by("-due_date")
        )
        if statuses:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), choices=statuses, widget=forms.Select(attrs=SELECT)
            )


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class TrustSurveyForm(forms.Form):
    """How much do you trust each sector, 1 (not at all) to 5 (fully)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for audience in Audience:
            self.fields[audience.value] = forms.TypedChoiceField(
                label=audience.label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Answer every question with a number from 1 to 5.")},
            )


# --- public consultations ---------------------------------------------------------------


class ConsultationFilterForm(forms.Form):
    """The public list's filter, in the URL."""

    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All consultations")), ("open", _("Open for comments")), ("closed", _("Closed"))],
        widget=forms.Select(attrs=SELECT),
    )


class ConsultationForm(forms.ModelForm):
    opens_at = _datetime_field(_("Opens"))
    closes_at = _datetime_field(_("Closes"))

    class Meta:
        model = Consultation
        fields = [
            "title_sq",
            "title_sr",
            "title_en",
            "introduction_sq",
            "introduction_sr",
            "introduction_en",
            "organization",
            "opens_at",
            "closes_at",
        ]
        widgets = {
            "title_sq": forms.TextInput(attrs=TEXT),
            "title_sr": forms.TextInput(attrs=TEXT),
            "title_en": forms.TextInput(attrs=TEXT),
            "introduction_sq": forms.Textarea(attrs={**TEXT, "rows": 4}),
            "introduction_sr": forms.Textarea(attrs={**TEXT, "rows": 4}),
            "introduction_en": forms.Textarea(attrs={**TEXT, "rows": 4}),
            "organization": forms.Select(attrs=SELECT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.filter(is_active=True).order_by("name")
        field.required = False
        field.empty_label = _("KCSF")

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The consultation must close after it opens."))
        return data

    def consultation_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "organization"}


class SectionForm(forms.ModelForm):
    position = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Sections are shown in this order. Empty: after the last one."),
        widget=forms.NumberInput(attrs=TEXT),
    )

    class Meta:
        model = ConsultationSection
        fields = ["position", "heading_sq", "heading_sr", "heading_en", "body_sq", "body_sr", "body_en"]
        widgets = {
            "heading_sq": forms.TextInput(attrs=TEXT),
            "heading_sr": forms.TextInput(attrs=TEXT),
            "heading_en": forms.TextInput(attrs=TEXT),
            "body_sq": forms.Textarea(attrs={**TEXT, "rows": 6}),
            "body_sr": forms.Textarea(attrs={**TEXT, "rows": 6}),
            "body_en": forms.Textarea(attrs={**TEXT, "rows": 6}),
        }

    def validate_unique(self):
        pass  # the service checks the position (a clear message, not the constraint's)


class ConsultationCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment on this section"),
        max_length=3000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )


class AnswerForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Answer"),
        choices=AnswerVerdict.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=3000,
        help_text=_("Required when the comment is rejected or partly accepted."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )


class FollowUpForm(forms.Form):
    """The minutes or closing report of an event, in one or more languages."""

    kind = forms.ChoiceField(label=_("Type"), choices=FollowUpKind.choices, widget=forms.Select(attrs=SELECT))
    body_sq = forms.CharField(
        label=_("Text (Albanian)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
    )
    body_sr = forms.CharField(
        label=_("Text (Serbian)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
    )
    body_en = forms.CharField(
        label=_("Text (English)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
        help_text=_("Write in at least one language; readers see their own language when it is given."),
    )


class FollowUpDocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT)."),
        widget=forms.ClearableFileInput(
            attrs={
                **TEXT,
                "accept": ".pdf,.docx,.xlsx,.odt,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                "application/vnd.oasis.opendocument.text",
            }
        ),
    )


class FollowUpPhotoForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    file = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
    )


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Digest by email"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_("One email listing what changed in what you follow; none when nothing changed."),
    )
