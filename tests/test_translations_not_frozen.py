"""No message is translated at import time. A string made while a module is imported (a module
constant, a class attribute, a default argument, a decorator's argument) must stay lazy
(`gettext_lazy`): a plain `gettext(...)` there, or a lazy string forced into text there
(`% values`, `.format()`, `str()`, an f-string, `+`), is frozen in the language of whatever
request or command imported the module first and then shown in that language to everyone."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "academy",
    "assistance",
    "dialogue",
    "volunteering",
    "grants",
    "giving",
    "transparency",
    "organizations",
    "accounts",
    "core",
    "config",
)
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}


def _translation_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """The local names of django.utils.translation's eager and lazy functions."""
    eager, lazy = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in EAGER:
                    eager.add(alias.asname or alias.name)
                elif alias.name in LAZY:
                    lazy.add(alias.asname or alias.name)
    return eager, lazy


def _called(node: ast.AST, names: set[str], attrs: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in names
    # translation.gettext(...) / translation.gettext_lazy(...)
    return isinstance(func, ast.Attribute) and func.attr in attrs and isinstance(func.value, ast.Name)


def frozen_translations(source: str) -> list[int]:
    """Line numbers where a message is translated while the module is imported."""
    tree = ast.parse(source)
    eager, lazy = _translation_names(tree)
    found: list[int] = []

    def is_lazy(node):
        return _called(node, lazy, LAZY)

    def visit(node: ast.AST, deferred: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # Decorators and default values run at import; the body runs when called.
            args = node.args
            for child in [
                *getattr(node, "decorator_list", []),
                *args.defaults,
                *filter(None, args.kw_defaults),
            ]:
                visit(child, deferred)
            for child in node.body if isinstance(node.body, list) else [node.body]:
                visit(child, True)
            return
        if not deferred:
            if _called(node, eager, EAGER):
                found.append(node.lineno)
            elif isinstance(node, ast.BinOp) and (is_lazy(node.left) or is_lazy(node.right)):
                found.append(node.lineno)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and is_lazy(node.func.value)
            ):
                found.append(node.lineno)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"str", "format"}
                and node.args
                and is_lazy(node.args[0])
            ):
                found.append(node.lineno)
            elif isinstance(node, ast.FormattedValue) and is_lazy(node.value):
                found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, deferred)

    visit(tree, False)
    return found


def test_no_message_is_translated_at_import_time():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for line in frozen_translations(source):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {lines[line - 1].strip()}")
    assert offenders == [], "use gettext_lazy (and no % or str() on it) at import time:\n" + "\n".join(
        offenders
    )


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.translation import gettext as _\nMESSAGE = _('Hi')\n",
        "from django.utils.translation import gettext\nclass A:\n    label = gettext('Hi')\n",
        "from django.utils.translation import gettext as _\ndef f(m=_('Hi')):\n    return m\n",
        "from django.utils.translation import gettext as _\n@deco(message=_('Hi'))\ndef f():\n    pass\n",
        "from django.utils.translation import gettext_lazy as _\nHELP = _('At most %(n)d') % {'n': 3}\n",
        "from django.utils.translation import gettext_lazy as _\nHELP = str(_('Hi'))\n",
        "from django.utils.translation import gettext_lazy as _\nHELP = f\"{_('Hi')}!\"\n",
        "from django.utils import translation\nMESSAGE = translation.gettext('Hi')\n",
    ],
)
def test_the_check_sees_a_frozen_message(source):
    assert frozen_translations(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.translation import gettext_lazy as _\nMESSAGE = _('Hi')\n",
        "from django.utils.translation import gettext as _\ndef f():\n    return _('Hi')\n",
        "from django.utils.translation import gettext as _\nclass A:\n    def f(self):\n        return _('Hi')\n",
        "from django.utils.translation import gettext as _\nf = lambda: _('Hi')\n",
    ],
)
def test_the_check_leaves_a_deferred_message(source):
    assert frozen_translations(source) == []
