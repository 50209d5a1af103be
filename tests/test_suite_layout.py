"""The suite's own shape: test modules take shared helpers from tests/helpers.py and the
factories (or fixtures), never by importing a conftest, which pytest loads itself and which
holds fixtures and hooks only."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _conftest_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [alias.name for alias in node.names]
            if module.split(".")[-1] == "conftest" or "conftest" in names:
                found.append(f"{path.relative_to(TESTS.parent)}:{node.lineno}")
        elif isinstance(node, ast.Import):
            if any(alias.name.split(".")[-1] == "conftest" for alias in node.names):
                found.append(f"{path.relative_to(TESTS.parent)}:{node.lineno}")
    return found


def test_no_test_module_imports_a_conftest():
    offenders = [hit for path in sorted(TESTS.rglob("*.py")) for hit in _conftest_imports(path)]
    assert offenders == [], (
        "import helpers from tests/helpers.py, tests/factories.py or tests/<app>/helpers.py|factories.py: "
        + ", ".join(offenders)
    )
