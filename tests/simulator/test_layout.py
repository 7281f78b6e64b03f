"""The simulator's modules import one another without a cycle, and each imports on its own.

The graph counts every import, those under `if TYPE_CHECKING:` and inside functions too: a cycle
hidden in a lazy import is still a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from hubspot_email import testing

PACKAGE = "hubspot_email.testing"
ROOT = Path(testing.__file__).parent


def module_names() -> list[str]:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join([PACKAGE, *parts]))
    return names


MODULES = module_names()


def source_of(module: str) -> Path:
    relative = Path(*module.removeprefix(PACKAGE).lstrip(".").split(".")) if module != PACKAGE else Path()
    as_package = ROOT / relative / "__init__.py"
    return as_package if as_package.exists() else (ROOT / relative).with_suffix(".py")


def imports_of(module: str) -> set[str]:
    """The package's modules that `module` imports, anywhere in its source."""
    path = source_of(module)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import submodule` is an import of the submodule, not of the package.
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


def test_the_package_has_the_modules_this_test_reads() -> None:
    assert f"{PACKAGE}._http" in MODULES
    assert f"{PACKAGE}._operations._single_send" in MODULES
    assert f"{PACKAGE}._simulator" in imports_of(PACKAGE)


def test_no_module_imports_itself_back() -> None:
    graph = {module: imports_of(module) for module in MODULES}
    # The package's __init__ re-exports; nothing inside the package may import it back (the pytest
    # plugin, which imports it lazily for users' tests, is not part of the simulator).
    importers_of_init = [
        module
        for module, targets in graph.items()
        if PACKAGE in targets and not module.endswith("pytest_plugin")
    ]
    assert importers_of_init == []
    del graph[PACKAGE]
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycles.append([*trail[trail.index(module) :], module])
            return
        for target in sorted(graph.get(module, ())):
            visit(target, [*trail, module])

    for module in graph:
        visit(module, [])
    assert cycles == []


def test_a_cycle_would_be_found() -> None:
    # The test above can fail: the facade imports the app, and the app does not import the facade.
    assert f"{PACKAGE}._http" in imports_of(f"{PACKAGE}._simulator")
    assert f"{PACKAGE}._simulator" not in imports_of(f"{PACKAGE}._http")
    assert f"{PACKAGE}._operations._context" in imports_of(f"{PACKAGE}._operations._single_send")


@pytest.mark.parametrize("module", [module for module in MODULES if not module.endswith("pytest_plugin")])
def test_each_module_imports_alone_in_a_fresh_interpreter(module: str) -> None:
    run = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
