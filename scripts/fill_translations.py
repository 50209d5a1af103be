#!/usr/bin/env python
"""Fill the sq and sr_Latn catalogues from `locale/pending/*.json` (`make pending-translations`).

A branch that adds user-facing strings leaves their translations in one JSON file instead of
editing the .po files (which every branch would change in conflicting places):

    {"English msgid": {"sq": "...", "sr_Latn": "..."},
     "context\\u0004msgid": {...},                                  (pgettext)
     "singular msgid": {"sq": ["one", "many"], "sr_Latn": ["one", "few", "many"]}}

Run after `makemessages` has added the new msgids: each one found is filled (its fuzzy flag
and previous msgid cleared); a msgid missing from the catalogue is listed and the exit status
is 1. The JSON files are then removed by hand (`git rm -r locale/pending`)."""

import json
import sys
from pathlib import Path

import polib

LANGS = ("sq", "sr_Latn")


def read_pending(root: Path) -> dict[str, dict]:
    pending: dict[str, dict] = {}
    for path in sorted((root / "locale" / "pending").glob("*.json")):
        for key, langs in json.loads(path.read_text(encoding="utf-8")).items():
            pending.setdefault(key, {}).update(langs)
    return pending


def fill(root: Path, pending: dict[str, dict]) -> list[str]:
    """Fill the catalogues under `root`; returns the keys missing from one of them."""
    missing = []
    for lang in LANGS:
        path = root / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path), wrapwidth=0)
        index = {(f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid): e for e in po}
        for key, langs in pending.items():
            value = langs.get(lang)
            if value is None:
                continue
            entry = index.get(key)
            if entry is None:
                missing.append(f"{lang}: {key}")
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                count = len(entry.msgstr_plural) or (3 if lang == "sr_Latn" else 2)
                forms = (forms + [forms[-1]] * count)[:count]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value[0] if isinstance(value, list) else value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        po.save(str(path))
    return missing


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    pending = read_pending(root)
    missing = fill(root, pending)
    print(f"{len(pending)} pending strings filled in {', '.join(LANGS)}")
    for line in missing:
        print(f"not in the catalogue (run make messages first?): {line[:100]!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
