#!/usr/bin/env python
"""Fail when a user-facing string lacks a translation.

1. Extracts the strings from the code into a scratch copy of locale/ (the real .po files
   are not touched) and fails when a string is missing from a .po file.
2. Fails when an entry of the sq or sr_Latn catalogue is untranslated or fuzzy
   (English is the source language: an empty English msgstr means "as written").
3. Fails when a compiled .mo file is older than its .po file.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["sq", "sr_Latn", "en"]
MUST_TRANSLATE = ["sq", "sr_Latn"]
DOMAINS = ["django"]
# The files whose strings are extracted (Django's default is html,txt,py; the badge is an
# SVG template). The Makefile's `messages` target passes the same list.
EXTENSIONS = "html,txt,py,svg"


def parse_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid (with context) -> (msgstr, fuzzy), reading gettext's blank-line-separated blocks."""

    def unquote(s: str) -> str:
        s = s.strip()
        return s[1:-1] if s.startswith('"') and s.endswith('"') else s

    entries: dict[str, tuple[str, bool]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln.strip() for ln in block.strip().splitlines()]
        if not lines or all(ln.startswith("#~") for ln in lines if ln):
            continue
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        fields: dict[str, str] = {}
        current = None
        for ln in lines:
            if ln.startswith("#"):
                continue
            if ln.startswith('"') and current:
                fields[current] += unquote(ln)
                continue
            key, _, value = ln.partition(" ")
            current = key
            fields[key] = fields.get(key, "") + unquote(value)
        msgid = fields.get("msgid", "")
        if not msgid:
            continue  # the header
        ctx = fields.get("msgctxt")
        msgstr = "".join(v for k, v in fields.items() if k.startswith("msgstr"))
        if "msgid_plural" in fields:  # every plural form must be filled
            forms = [v for k, v in fields.items() if k.startswith("msgstr[")]
            msgstr = "" if any(not f.strip() for f in forms) else msgstr
        entries[f"{ctx}\x04{msgid}" if ctx else msgid] = (msgstr, fuzzy)
    return entries


def main() -> int:
    problems: list[str] = []
    locale = ROOT / "locale"
    if not locale.is_dir():
        print("locale/ is missing: run `make messages`")
        return 1
    # 1. strings in the code that no .po knows
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "src"
        ignore = shutil.ignore_patterns(
            ".venv",
            ".git",
            "staticfiles",
            "media",
            "private_media",
            "node_modules",
            "*.pyc",
            "__pycache__",
            "*.sqlite3",
            "vendor",
        )
        shutil.copytree(ROOT, scratch, ignore=ignore)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        cmd = [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-obsolete",
            "--no-location",
            "--ignore=static",
            "--ignore=tests",
            "--ignore=locale_thirdparty",
            f"--extension={EXTENSIONS}",
        ]
        for lang in LANGS:
            cmd += ["-l", lang]
        subprocess.run(cmd, cwd=scratch, env=env, check=True, capture_output=True)
        for lang in LANGS:
            for domain in DOMAINS:
                fresh = parse_po(scratch / "locale" / lang / "LC_MESSAGES" / f"{domain}.po")
                ours_path = locale / lang / "LC_MESSAGES" / f"{domain}.po"
                ours = parse_po(ours_path) if ours_path.exists() else {}
                missing = sorted(set(fresh) - set(ours))
                for msgid in missing[:20]:
                    problems.append(f"{lang}/{domain}.po lacks: {msgid[:90]!r}")
                if len(missing) > 20:
                    problems.append(f"{lang}/{domain}.po lacks {len(missing) - 20} more strings")
    # 2. untranslated or fuzzy entries
    for lang in MUST_TRANSLATE:
        for domain in DOMAINS:
            path = locale / lang / "LC_MESSAGES" / f"{domain}.po"
            if not path.exists():
                problems.append(f"{path.relative_to(ROOT)} is missing")
                continue
            for msgid, (msgstr, fuzzy) in parse_po(path).items():
                if fuzzy:
                    problems.append(f"{lang}: fuzzy: {msgid[:90]!r}")
                elif not msgstr.strip():
                    problems.append(f"{lang}: untranslated: {msgid[:90]!r}")
    # 3. stale .mo
    for po in locale.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime + 1 < po.stat().st_mtime:
            if not mo.exists():
                problems.append(f"{mo.relative_to(ROOT)} is missing: run `make messages`")
    if problems:
        print(f"{len(problems)} translation problem(s):")
        print("\n".join(problems[:200]))
        return 1
    print("Translations complete for " + ", ".join(LANGS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
