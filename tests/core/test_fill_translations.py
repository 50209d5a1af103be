"""scripts/fill_translations.py: the translations a branch leaves in locale/pending/*.json go
into the catalogues (plain, with a context, plural), fuzzy flags cleared, unknown ones named."""

import importlib.util
import json
from pathlib import Path

import polib

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fill_translations.py"
spec = importlib.util.spec_from_file_location("fill_translations", SCRIPT)
fill_translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fill_translations)

CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: {plural}\\n"

msgid "Save"
msgstr ""

#, fuzzy
#| msgid "Sav"
msgctxt "date range"
msgid "from"
msgstr "old"

msgid "One request"
msgid_plural "%(count)s requests"
msgstr[0] ""
msgstr[1] ""
{third}"""

PLURALS = {
    "sq": ("nplurals=2; plural=(n != 1);", ""),
    "sr_Latn": ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : 1);", 'msgstr[2] ""\n'),
}


def _tree(tmp_path: Path, pending: dict) -> Path:
    for lang, (plural, third) in PLURALS.items():
        folder = tmp_path / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(CATALOGUE.format(plural=plural, third=third), encoding="utf-8")
    (tmp_path / "locale" / "pending").mkdir()
    (tmp_path / "locale" / "pending" / "branch.json").write_text(json.dumps(pending), encoding="utf-8")
    return tmp_path


def test_plain_context_and_plural_strings_are_filled_and_unfuzzied(tmp_path):
    root = _tree(
        tmp_path,
        {
            "Save": {"sq": "Ruaj", "sr_Latn": "Sačuvaj"},
            "date range\u0004from": {"sq": "nga", "sr_Latn": "od"},
            "One request": {
                "sq": ["Një kërkesë", "%(count)s kërkesa"],
                "sr_Latn": ["Jedan zahtev", "%(count)s zahteva"],
            },
        },
    )
    missing = fill_translations.fill(root, fill_translations.read_pending(root))
    assert missing == []
    sq = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(root / "locale/sq/LC_MESSAGES/django.po"))}
    sr = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(root / "locale/sr_Latn/LC_MESSAGES/django.po"))}
    assert sq[(None, "Save")].msgstr == "Ruaj" and sr[(None, "Save")].msgstr == "Sačuvaj"
    context = sq[("date range", "from")]
    assert context.msgstr == "nga" and "fuzzy" not in context.flags and context.previous_msgid is None
    assert sq[(None, "One request")].msgstr_plural == {0: "Një kërkesë", 1: "%(count)s kërkesa"}
    # Serbian has three forms: the last one given fills the rest.
    assert sr[(None, "One request")].msgstr_plural == {
        0: "Jedan zahtev",
        1: "%(count)s zahteva",
        2: "%(count)s zahteva",
    }


def test_a_string_missing_from_the_catalogue_is_named(tmp_path):
    root = _tree(tmp_path, {"Not extracted yet": {"sq": "x", "sr_Latn": "y"}})
    missing = fill_translations.fill(root, fill_translations.read_pending(root))
    assert missing == ["sq: Not extracted yet", "sr_Latn: Not extracted yet"]
