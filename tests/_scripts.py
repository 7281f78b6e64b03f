"""Import a file of the repository by its path: `scripts/` is not a package, nor are the test folders.

The root conftest puts this folder on sys.path (pytest's prepend import mode), so test modules import it
as `_scripts`; mypy resolves it as `tests._scripts` (see the TYPE_CHECKING imports beside its users).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


def load_module(name: str, path: Path) -> ModuleType:
    """The module at `path`, registered as `name` in sys.modules (dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
