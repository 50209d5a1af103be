"""Our catalogues for third-party packages (locale_thirdparty/, see LOCALE_PATHS).

django-allauth ships no Albanian catalogue, django-rest-framework and django-filter ship neither an
Albanian nor a Serbian one: without locale_thirdparty/ their strings would reach Albanian and
Serbian users in English.
"""

import ast
import gettext
import re
from pathlib import Path

import allauth
import django_filters
import pytest
import rest_framework
from allauth.account.forms import LoginForm
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_filters import OrderingFilter
from django_filters.filters import BaseCSVFilter
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated

ROOT = Path(settings.BASE_DIR) / "locale_thirdparty"
CATALOGUES = {"sq": 2, "sr_Latn": 3}  # language directory -> number of plural forms
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[^{}]*\}")


def parse_po(path):
    """[(msgctxt, msgid, msgid_plural, [msgstr, ...], flags)] for every entry but the header."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, flags, current = {}, set(), None
        for line in block.strip().splitlines():
            if line.startswith("#~"):  # obsolete
                fields = {}
                break
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _sep, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            msgstrs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append(
                (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), msgstrs, flags)
            )
    return entries


def ours(lang):
    return parse_po(ROOT / lang / "LC_MESSAGES" / "django.po")


def keys(entries):
    return {(ctxt, msgid) for ctxt, msgid, *_rest in entries}


def test_locale_thirdparty_is_in_locale_paths_after_our_own_locale():
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    assert paths[0] == Path(settings.BASE_DIR) / "locale"  # ours take precedence
    assert ROOT in paths


def test_allauth_login_comes_out_in_albanian():
    with translation.override("sq"):
        form = LoginForm(request=RequestFactory().get("/"))
        assert str(form.fields["login"].label) == "Email-i"
        # "Password" keeps the translation django.contrib.auth already gives it:
        assert str(form.fields["password"].label) == "Fjalëkalim"
        assert _("Sign In") == "Identifikohu"
        assert _("Sign Up") == "Regjistrohu"
        assert _("Forgot your password?") == "Keni harruar fjalëkalimin?"
        assert _("Two-Factor Authentication") == "Autentikimi me dy faktorë"
        assert _("Recovery Codes") == "Kodet e rikuperimit"
        assert pgettext("field label", "Login") == "Identifikimi"
        assert _("Successfully signed in as %(name)s.") % {"name": "Arta"} == (
            "U identifikuat me sukses si Arta."
        )
        plural = translation.ngettext(
            "You have added %(count)s security key.", "You have added %(count)s security keys.", 3
        )
        assert plural % {"count": 3} == "Keni shtuar 3 çelësa sigurie."


@pytest.mark.django_db
def test_allauth_login_page_is_albanian(client):
    html = client.get("/sq/accounts/login/").content.decode()
    assert "Identifikohu" in html
    assert "Sign In" not in html


def test_drf_messages_come_out_in_albanian_and_serbian():
    with translation.override("sq"):
        assert str(NotAuthenticated().detail) == "Nuk janë dhënë kredencialet e autentikimit."
        with pytest.raises(serializers.ValidationError) as error:
            serializers.IntegerField().run_validation("x")
        assert error.value.detail == ["Kërkohet një numër i plotë i vlefshëm."]
    with translation.override("sr-latn"):
        assert str(NotAuthenticated().detail) == "Podaci za autentifikaciju nisu navedeni."
        with pytest.raises(serializers.ValidationError) as error:
            serializers.IntegerField().run_validation("x")
        assert error.value.detail == ["Potreban je važeći ceo broj."]
    with translation.override("en"):
        assert str(NotAuthenticated().detail) == "Authentication credentials were not provided."


def test_strings_django_already_translates_are_left_as_they_were():
    with translation.override("sq"):
        assert _("Enter a valid email address.") == "Jepni një adresë email të vlefshme."
        assert _("This field is required.") == "Kjo fushë është e domosdoshme."
    with translation.override("sr-latn"):
        assert _("This field is required.") == "Ovo polje se mora popuniti."
        assert _("Password") == "Lozinka"


def test_django_filter_strings_come_out_in_albanian_and_serbian():
    def descending_label():  # the choices are built when the filter is created
        ordering = OrderingFilter(fields=(("name", "name"),), field_labels={"name": "Emri"})
        return dict(ordering.field.choices)["-name"]

    with translation.override("sq"):
        assert descending_label() == "Emri (në zbritje)"
        assert str(BaseCSVFilter().extra["help_text"]) == "Vlerat e shumta mund të ndahen me presje."
        assert _("Range query expects two values.") == "Kërkimi sipas intervalit pret dy vlera."
    with translation.override("sr-latn"):
        assert descending_label() == "Emri (opadajuće)"
        assert _("Multiple values may be separated by commas.") == (
            "Više vrednosti možete razdvojiti zarezima."
        )


@pytest.mark.parametrize("lang", CATALOGUES)
def test_every_entry_is_translated_and_keeps_its_placeholders(lang):
    entries = ours(lang)
    assert len(keys(entries)) == len(entries), "duplicate msgid"
    for _ctxt, msgid, plural, msgstrs, flags in entries:
        assert "fuzzy" not in flags, msgid
        assert len(msgstrs) == (CATALOGUES[lang] if plural else 1), msgid
        wanted = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural or ""))
        for msgstr in msgstrs:
            assert msgstr.strip(), f"untranslated: {msgid!r}"
            assert set(PLACEHOLDER.findall(msgstr)) == wanted, (msgid, msgstr)
            assert msgstr.endswith("\n") == msgid.endswith("\n"), msgid
            assert re.findall(r"</?\w+", msgstr) == re.findall(r"</?\w+", msgid), msgid


@pytest.mark.parametrize("lang", CATALOGUES)
def test_compiled_catalogue_matches_the_po_file(lang):
    with (ROOT / lang / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for ctxt, msgid, plural, msgstrs, _flags in ours(lang):
        if plural:
            got = [
                mo.npgettext(ctxt, msgid, plural, n) if ctxt else mo.ngettext(msgid, plural, n)
                for n in (1, 2, 5)
            ]
            assert set(got) <= set(msgstrs), f"stale .mo (run compilemessages): {msgid!r}"
        else:
            got = mo.pgettext(ctxt, msgid) if ctxt else mo.gettext(msgid)
            assert got == msgstrs[0], f"stale .mo (run compilemessages): {msgid!r}"


def _package_msgids(package, source_lang="de"):
    po = Path(package.__file__).parent / "locale" / source_lang / "LC_MESSAGES" / "django.po"
    return keys(parse_po(po))


def test_the_catalogues_cover_the_installed_packages():
    """Fails after an upgrade of one of the packages brings new strings: translate them."""
    with (Path(rest_framework.__file__).parent / "locale/en/LC_MESSAGES/django.mo").open("rb") as fh:
        drf = {
            (None, msgid)
            for msgid in gettext.GNUTranslations(fh)._catalog
            if msgid and isinstance(msgid, str)
        }
    filters = _package_msgids(django_filters)
    sq, sr = keys(ours("sq")), keys(ours("sr_Latn"))
    assert _package_msgids(allauth) - sq == set()
    assert drf - sq == set()
    assert filters - sq == set()
    assert drf - sr == set()
    assert filters - sr == set()
