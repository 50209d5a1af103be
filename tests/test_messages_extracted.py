"""Every template with strings to translate is one that `make messages` extracts (issue 13,
item 5: the badge SVG was English in every language because .svg files were never read)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"\{%\s*(translate|trans|blocktranslate|blocktrans)\b")
SKIP = {".venv", ".git", "node_modules", "staticfiles", "static", "tests", "locale_thirdparty", "media"}


def _extensions(text: str) -> set[str]:
    found = re.search(r"--extension[= ]([a-z,]+)", text) or re.search(r"EXTENSIONS = \"([a-z,]+)\"", text)
    return set(found[1].split(",")) if found else {"html", "txt", "py"}


def test_every_translated_template_is_extracted():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    messages = makefile[makefile.index("messages:") :].split("\n\n")[0]
    checker = (ROOT / "scripts/check_translations.py").read_text(encoding="utf-8")
    extracted = _extensions(messages)
    assert _extensions(checker) == extracted
    missed = []
    for path in ROOT.rglob("*"):
        if not path.is_file() or SKIP & set(path.relative_to(ROOT).parts):
            continue
        suffix = path.suffix.lstrip(".")
        if suffix in extracted or suffix in {"po", "mo", "pyc", "png", "jpg", "pdf", "woff2", "sqlite3"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if TAG.search(text):
            missed.append(str(path.relative_to(ROOT)))
    assert not missed, missed


# xgettext finds only the names Django gives it (gettext, gettext_lazy, ngettext, pgettext…
# and `_`): a string marked through another alias is never extracted, so it stays English
# (the giving aggregates' CSV headers were marked with `_lazy`).
ALIAS = re.compile(r"from django\.utils\.translation import (\w+) as (\w+)")


def test_strings_are_marked_only_with_names_xgettext_knows():
    aliased = []
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for function, alias in ALIAS.findall(path.read_text(encoding="utf-8")):
            if alias != "_" and "gettext" in function:
                aliased.append(f"{path.relative_to(ROOT)}: {function} as {alias}")
    assert not aliased, aliased
