#!/usr/bin/env python
"""Write the Albanian names of the countries django-countries lists (it ships no Albanian):
locale_thirdparty/countries/sq/LC_MESSAGES/django.po, from the ISO 3166 names translated by
pycountry (run once when django-countries changes; pycountry is needed only here):

    PYTHONPATH=<where pycountry is> python scripts/build_country_names.py
    msgfmt -o locale_thirdparty/countries/sq/LC_MESSAGES/django.mo \
        locale_thirdparty/countries/sq/LC_MESSAGES/django.po

A country whose English name in django-countries matches none of pycountry's names
(name, common name, official name) is left out, and shows in English.
"""

import gettext
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "locale_thirdparty" / "countries" / "sq" / "LC_MESSAGES" / "django.po"
# Names pycountry does not have in Albanian, or that django-countries spells its own way.
EXTRA = {"Kosovo": "Kosova"}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import pycountry
    from django.utils import translation
    from django_countries.data import COUNTRIES

    albanian = gettext.translation(
        "iso3166-1", localedir=pycountry.LOCALES_DIR, languages=["sq"], fallback=False
    )
    entries = {}
    for code, english in COUNTRIES.items():
        with translation.override("en"):
            english = str(english)
        country = pycountry.countries.get(alpha_2=code)
        names = (
            [getattr(country, a, None) for a in ("common_name", "name", "official_name")] if country else []
        )
        found = next((albanian.gettext(n) for n in names if n and albanian.gettext(n) != n), None)
        found = EXTRA.get(english, found)
        if found:
            entries[english] = found
    for english, name in EXTRA.items():
        entries.setdefault(english, name)
    lines = [
        "# Albanian names of the countries of django-countries (which ships none), from the",
        "# ISO 3166 names translated by pycountry; written by scripts/build_country_names.py.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: sq\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
    for english in sorted(entries):
        lines += [f"msgid {quote(english)}", f"msgstr {quote(entries[english])}", ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(entries)} of {len(COUNTRIES)} countries written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
