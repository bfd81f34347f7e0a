"""The layout rules of STYLE.md that import-linter does not express: no context reads another's tables,
and services never commit (the entry point owns the transaction)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "omniretail"
CONTEXTS = sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()
                  and p.name not in ("kernel", "web", "locale"))


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """Imports under ``if TYPE_CHECKING:`` only name types; they never reach another context's tables."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    return skipped


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def _owner(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else ""


def test_no_context_imports_another_contexts_models():
    offenders = []
    for path in SRC.rglob("*.py"):
        owner = _owner(path)
        if path.name == "metadata.py" and owner == "":
            continue
        for name in _imports(path):
            parts = name.split(".")
            if (len(parts) >= 3 and parts[0] == "omniretail" and parts[1] in CONTEXTS and parts[2] == "models"
                    and parts[1] != owner):
                offenders.append(f"{path.relative_to(SRC)} imports {name}")

    assert offenders == []


def _commits(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"
                and not node.args):
            lines.append(node.lineno)
    return lines


def test_services_and_rules_never_commit():
    offenders = [f"{path.relative_to(SRC)}:{line}" for path in SRC.rglob("*.py")
                 if path.name in ("service.py", "rules.py") for line in _commits(path)]

    assert offenders == []
