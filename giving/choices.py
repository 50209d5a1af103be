"""The vocabularies of the giving tracker (stored codes, translated labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportKind(models.TextChoices):
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    SERVICES = "services", _("Services")
    VOLUNTEER_TIME = "volunteer_time", _("Volunteer time")


class DonorType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COMPANY = "company", _("Company")
    FOUNDATION_CSO = "foundation_cso", _("Foundation or CSO")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    DIASPORA_INDIVIDUAL = "diaspora_individual", _("Diaspora individual")
    DIASPORA_ORGANIZATION = "diaspora_organization", _("Diaspora organisation")
    COLLECTIVE = "collective", _("Mixed / collective campaign")
    ANONYMOUS = "anonymous", _("Anonymous")


DIASPORA_DONOR_TYPES = (DonorType.DIASPORA_INDIVIDUAL, DonorType.DIASPORA_ORGANIZATION)
# Donor types whose names are personal data: never public unless the donor agreed.
PERSONAL_DONOR_TYPES = (DonorType.INDIVIDUAL, DonorType.DIASPORA_INDIVIDUAL, DonorType.ANONYMOUS)


class RecipientType(models.TextChoices):
    CSO = "cso", _("CSO")
    SCHOOL = "school", _("Public institution: school")
    HEALTH = "health", _("Public institution: hospital or health centre")
    SOCIAL_SERVICE = "social_service", _("Public institution: social service")
    PUBLIC_OTHER = "public_other", _("Public institution: other")
    INDIVIDUAL_FAMILY = "individual_family", _("Individual or family")
    COMMUNITY_GROUP = "community_group", _("Community / informal group")
    RELIGIOUS = "religious", _("Religious organisation")
    OTHER = "other", _("Other")


class Cause(models.TextChoices):
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    POVERTY = "poverty", _("Poverty relief")
    SOCIAL_INCLUSION = "social_inclusion", _("Social inclusion")
    DISABILITY = "disability", _("People with disabilities")
    EMERGENCY = "emergency", _("Emergency and disaster relief")
    CULTURE = "culture", _("Culture")
    SPORT = "sport", _("Sport")
    ENVIRONMENT = "environment", _("Environment")
    COMMUNITY = "community", _("Community development")
    OTHER = "other", _("Other")


class BeneficiaryGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Youth")
    ELDERLY = "elderly", _("Elderly")
    WOMEN = "women", _("Women")
    DISABILITY = "disability", _("People with disabilities")
    MINORITIES = "minorities", _("Minorities")
    GENERAL = "general", _("General public")


class Recurrence(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    ONGOING = "ongoing", _("Ongoing")


class Source(models.TextChoices):
    MEDIA = "media", _("Media report")
    PARTNER = "partner", _("Partner submission")
    CSO_SELF = "cso_self", _("CSO self-report")
    STAFF = "staff", _("Staff entry")
    PUBLIC = "public", _("Reported by the public")


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Confidence(models.TextChoices):
    MEDIA_ONLY = "media_only", _("Media report only")
    SELF_REPORTED = "self_reported", _("Self-reported by one side")
    CONFIRMED_BOTH = "confirmed_both", _("Confirmed by donor and recipient")


class DiasporaChannel(models.TextChoices):
    CROWDFUNDING = "crowdfunding", _("Crowdfunding")
    HOMETOWN_ASSOCIATION = "hometown_association", _("Hometown association")
    REMITTANCE = "remittance", _("Remittance to a family or community")
    DIRECT_TRANSFER = "direct_transfer", _("Direct transfer")
    IN_PERSON = "in_person", _("In person")


class Effect(models.TextChoices):
    RELIEF = "relief", _("Short-term relief")
    STRATEGIC = "strategic", _("Long-term (strategic) support")


class Geography(models.TextChoices):
    MUNICIPALITY = "municipality", _("A municipality")
    KOSOVO_WIDE = "kosovo_wide", _("Throughout Kosovo")
    OUTSIDE_KOSOVO = "outside_kosovo", _("Outside Kosovo")
