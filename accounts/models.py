"""The portal's user: logs in with an email address, keeps a small profile."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    country_of_residence = CountryField(
        _("country of residence"),
        blank=True,
        help_text=_("For the diaspora: the country where you live now."),
    )
    is_staff = models.BooleanField(
        _("KCSF staff"),
        default=False,
        help_text=_("Staff reach the admin site after two-factor authentication."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def has_perm(self, perm, obj=None) -> bool:
        """As Django's, but a staff member whose session did not pass the second factor is
        asked as an ordinary member (core.permissions decides when)."""
        from core.permissions import staff_powers_withheld, without_staff_powers  # needs the auth app loaded

        if staff_powers_withheld(self):
            return without_staff_powers(self).has_perm(perm, obj)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        from core.permissions import staff_powers_withheld, without_staff_powers

        if staff_powers_withheld(self):
            return without_staff_powers(self).has_module_perms(app_label)
        return super().has_module_perms(app_label)

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email.split("@")[0]

    @property
    def is_diaspora(self) -> bool:
        return bool(self.country_of_residence) and self.country_of_residence != "XK"
