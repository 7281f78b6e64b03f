"""Regenerate `generated/hubspot_email_api/` from `openapi/hubspot-email.yaml`.

Run through `nox -s generate`, which installs the pinned generator first. Steps:
1. validate the spec with openapi-spec-validator (a spec error is reported before any code is written);
2. run openapi-python-client with the config kept in `openapi/`, into a temporary folder;
3. add the PEP 561 `py.typed` marker (the generator writes none with `--meta none`) and the spec itself
   as `openapi.json`, so the installed simulator (`hubspot_email.testing`) validates against the same spec;
4. replace `generated/hubspot_email_api/` and record the spec's hash and the tool versions in
   `generated/PROVENANCE.json`.
The output depends only on the spec, the config and the pinned versions: it is byte-for-byte repeatable.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "hubspot-email.yaml"
CONFIG = ROOT / "openapi" / "generator-config.yaml"
PACKAGE = "hubspot_email_api"
OUTPUT = ROOT / "generated" / PACKAGE
PROVENANCE = ROOT / "generated" / "PROVENANCE.json"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def validate_spec(spec: Path) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.readers import read_from_filename

    document, _ = read_from_filename(str(spec))
    validate(document)


def embed_spec(spec: Path, destination: Path) -> None:
    # JSON, not YAML: the installed package then needs no YAML parser to read it.
    from openapi_spec_validator.readers import read_from_filename

    document, _ = read_from_filename(str(spec))
    (destination / "openapi.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def run_generator(spec: Path, config: Path, destination: Path) -> None:
    # The generator refuses to write into an existing folder without --overwrite; a fresh temporary
    # parent keeps stale files (a model removed from the spec) from surviving a regeneration.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(destination),
            "--fail-on-warning",
        ],
        check=True,
    )
    (destination / "py.typed").write_text("# Marker file for PEP 561\n", encoding="utf-8")


def provenance() -> dict[str, str]:
    return {
        "spec": SPEC.relative_to(ROOT).as_posix(),
        "spec_sha256": sha256_of(SPEC),
        "config_sha256": sha256_of(CONFIG),
        "openapi-python-client": version("openapi-python-client"),
        "ruff": version("ruff"),
    }


def main() -> None:
    validate_spec(SPEC)
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / PACKAGE
        run_generator(SPEC, CONFIG, fresh)
        embed_spec(SPEC, fresh)
        shutil.rmtree(OUTPUT, ignore_errors=True)
        shutil.copytree(fresh, OUTPUT)
    PROVENANCE.write_text(json.dumps(provenance(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"generated {OUTPUT.relative_to(ROOT)} from {SPEC.relative_to(ROOT)} ({PROVENANCE.name} updated)")


if __name__ == "__main__":
    main()
