"""The volunteer profile: saved by its owner, with consent to be contacted given and
withdrawn explicitly (both moments kept)."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from volunteering.choices import Language, LanguageLevel
from volunteering.models import ProfileLanguage, VolunteerProfile

MAX_TAGS = 15
MAX_TAG_LENGTH = 40


def utc_offset_minutes(time_zone: str) -> int:
    """The zone's standard offset from UTC in minutes (January, no daylight saving), for matching."""
    if not time_zone:
        return 60  # Kosovo
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(zone)s” is not a time zone.") % {"zone": time_zone}, code="time_zone"
        ) from None
    offset = datetime.datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset()
    return int(offset.total_seconds() // 60)


def clean_tags(tags) -> list[str]:
    seen, cleaned = set(), []
    for tag in tags or []:
        tag = " ".join(str(tag).split())[:MAX_TAG_LENGTH].strip().lower()
        if tag and tag not in seen:
            seen.add(tag)
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(_("At most %(n)s free tags.") % {"n": MAX_TAGS}, code="tags")
    return cleaned


def profile_for(user) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(user=user).first() if user.is_authenticated else None


@transaction.atomic
def profile_save(*, actor, fields: dict, skills=(), languages: dict | None = None) -> VolunteerProfile:
    """Create or update the actor's own profile. `fields` are the profile's plain fields
    (including `contact_consent`); `languages` maps a language code to its level."""
    require(actor, "volunteering.keep_profile")
    profile, _created = VolunteerProfile.objects.select_for_update().get_or_create(user=actor)
    consent_before = profile.contact_consent
    fields = dict(fields)
    fields["tags"] = clean_tags(fields.get("tags", profile.tags))
    fields["utc_offset"] = utc_offset_minutes(fields.get("time_zone", profile.time_zone))
    for name, value in fields.items():
        setattr(profile, name, value)
    now = timezone.now()
    if profile.contact_consent and not consent_before:
        profile.consent_given_at, profile.consent_withdrawn_at = now, None
    elif consent_before and not profile.contact_consent:
        profile.consent_withdrawn_at = now
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.skills.set(skills)
    if languages is not None:
        valid_levels = set(LanguageLevel.values)
        wanted = {}
        for code, level in languages.items():
            if code not in Language.values or int(level) not in valid_levels:
                raise ValidationError(_("Choose a language and its level from the list."), code="language")
            wanted[code] = int(level)
        profile.languages.exclude(language__in=wanted).delete()
        for code, level in wanted.items():
            ProfileLanguage.objects.update_or_create(
                profile=profile, language=code, defaults={"level": level}
            )
    return profile


@transaction.atomic
def consent_set(*, actor, consent: bool) -> VolunteerProfile:
    """Give or withdraw consent to be contacted by organisations."""
    profile = VolunteerProfile.objects.select_for_update().filter(user=actor).first()
    if profile is None:
        raise ValidationError(_("Create your volunteer profile first."), code="no_profile")
    if profile.contact_consent == consent:
        return profile  # a double submit changes nothing
    profile.contact_consent = consent
    if consent:
        profile.consent_given_at, profile.consent_withdrawn_at = timezone.now(), None
    else:
        profile.consent_withdrawn_at = timezone.now()
    profile.save(update_fields=["contact_consent", "consent_given_at", "consent_withdrawn_at", "updated_at"])
    return profile
