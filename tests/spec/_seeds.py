"""The sources the spec tests read: HubSpot's reference pages (the seeds) and the spec itself.

Shared by `test_spec_conformance.py` and `test_generated_models.py`. At run time they import it as
`from _seeds import ...`: with pytest's default `prepend` import mode the folder of a test file that
has no `__init__.py` is put on `sys.path`, so no package and no conftest are needed. Under
`TYPE_CHECKING` they import `tests.spec._seeds` instead, the name mypy gives this file with
`explicit_package_bases` (pyproject.toml).

The seeds live outside the repository, in `shared/seeds/` beside it (`HUBSPOT_EMAIL_SEEDS_DIR`
overrides the location). They are read-only text copies of HubSpot's pages, partly in French, German
and Japanese; the page-specific parsers below key on the words those pages use.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openapi_spec_validator.readers import read_from_filename

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi" / "hubspot-email.yaml"
SEEDS_DIR = Path(os.environ.get("HUBSPOT_EMAIL_SEEDS_DIR", REPO_ROOT.parent / "shared" / "seeds"))

V4_SINGLE_SEND = "000_090ed5814d965fc9.txt"
LEGACY_SINGLE_SEND = "001_4cf7e87eb55081af.txt"
BATCH_CREATE_EMAILS = "002_c5107f6727f6cdaf.txt"
ATTENDANCE_BY_EMAIL = "003_dbb0c6d8ffc0d3ae.txt"

# Which operation of the spec each seed page describes.
SEED_OPERATIONS: dict[str, str] = {
    V4_SINGLE_SEND: "sendSingleEmail",
    LEGACY_SINGLE_SEND: "sendLegacySingleEmail",
    BATCH_CREATE_EMAILS: "batchCreateEmails",
    ATTENDANCE_BY_EMAIL: "recordAttendanceByEmail",
}

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


# ------------------------------------------------------------------------------------------ seed pages
@cache
def seed_text(name: str) -> str:
    """The text of one seed page; fails loudly (never skips) when the seeds are not where expected."""
    path = SEEDS_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"seed page {path} not found (set HUBSPOT_EMAIL_SEEDS_DIR)")
    return path.read_text(encoding="utf-8")


def extract_json_objects(text: str) -> list[dict[str, Any]]:
    """Every top-level JSON object in `text`, in order of appearance.

    Each `{` is tried as the start of a JSON document; one that does not decode (a template token such
    as `{{ contact.NAME }}`, a path placeholder such as `{objectId}`) is skipped. A `{` inside an object
    already extracted is not tried again, so nested objects and JSON serialised inside strings are not
    reported twice. Nothing needs to separate an object from the text before it: `'{` works.
    """
    decoder = json.JSONDecoder()
    objects: list[dict[str, Any]] = []
    position = text.find("{")
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            objects.append(value)
        position = text.find("{", end)
    return objects


def seed_examples(name: str) -> list[dict[str, Any]]:
    """The JSON examples of one seed page: request, response (repeated on pages that repeat them)."""
    return extract_json_objects(seed_text(name))


def seed_requests(name: str) -> list[dict[str, Any]]:
    """The request examples of a seed page: on every page the request comes first, then its response."""
    return seed_examples(name)[0::2]


def seed_responses(name: str) -> list[dict[str, Any]]:
    """The response examples of a seed page (the second object of each request/response pair)."""
    return seed_examples(name)[1::2]


def _between(text: str, start: str, end: str) -> str:
    """The text after the first `start` and before the next `end`."""
    begin = text.index(start) + len(start)
    return text[begin : text.index(end, begin)]


def _comma_list(segment: str) -> list[str]:
    return [value.strip() for value in segment.split(",") if value.strip()]


def seed_v4_send_results() -> list[str]:
    """The sendResult values listed on the v4 page (French label, German "available options")."""
    section = _between(seed_text(V4_SINGLE_SEND), "Résultat de l'envoi.", "\nstartedAt\n")
    return _comma_list(section.split("Verfügbare Optionen:", 1)[1])


def seed_v4_statuses() -> list[str]:
    """The status values listed on the v4 page, between the `status` field and `statusId`."""
    section = _between(seed_text(V4_SINGLE_SEND), "\nstatus\nenum<string>", "\nstatusId\n")
    return _comma_list(section.split("Verfügbare Optionen:", 1)[1])


def seed_attendance_statuses() -> list[str]:
    """The status values listed (in one line) on the attendance page, after "the request's status"."""
    return _comma_list(
        _between(seed_text(ATTENDANCE_BY_EMAIL), "リクエスト処理のステータス\n", "Show child attributes")
    )


def seed_legacy_send_results() -> list[str]:
    """The legacy SendResult values: the `• NAME — description` bullets after the enumeration's intro."""
    section = seed_text(LEGACY_SINGLE_SEND).split("SendResult is an enumeration", 1)[1]
    return re.findall(r"•\s+([A-Z][A-Z_]*)\s+—", section)


def seed_bullets(name: str, start: str, end: str) -> list[str]:
    """The first word of each `•` bullet between `start` and `end` on a seed page."""
    return re.findall(r"•\s+(\w+)", _between(seed_text(name), start, end))


# ------------------------------------------------------------------------------------------ the spec
def load_spec() -> dict[str, Any]:
    """The spec as a plain mapping (read the same way openapi-spec-validator reads it)."""
    document, _ = read_from_filename(str(SPEC_PATH))
    return dict(document)


def ref_name(ref: str) -> str:
    """The component name a local `$ref` points to: `#/components/schemas/Error` -> `Error`."""
    return ref.rsplit("/", 1)[-1]


def resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow local `$ref`s (JSON pointers into the spec) until a node without one is reached."""
    while "$ref" in node:
        reference = node["$ref"]
        if not isinstance(reference, str) or not reference.startswith("#/"):
            raise ValueError(f"only local references are supported, not {reference!r}")
        target: Any = spec
        for part in reference[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations(spec: Mapping[str, Any]) -> dict[str, tuple[str, str, Mapping[str, Any]]]:
    """Every operation by operationId: (method, path, operation object)."""
    found: dict[str, tuple[str, str, Mapping[str, Any]]] = {}
    for path, path_item in spec["paths"].items():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                found[operation["operationId"]] = (method, path, operation)
    return found


@dataclass(frozen=True)
class MediaExample:
    """One value of a media type's `examples` (or `example`) in the spec, with the schema it is for."""

    location: str
    schema: Mapping[str, Any]
    value: object


def _examples_of(location: str, content: Mapping[str, Any], spec: Mapping[str, Any]) -> list[MediaExample]:
    found: list[MediaExample] = []
    for media_type, media in content.items():
        if "example" in media:
            found.append(MediaExample(f"{location}-{media_type}", media["schema"], media["example"]))
        for name, example in media.get("examples", {}).items():
            found.append(MediaExample(f"{location}-{name}", media["schema"], resolve(spec, example)["value"]))
    return found


def media_examples(spec: Mapping[str, Any]) -> list[MediaExample]:
    """Every request and response example of the spec; shared components/responses are listed once."""
    found: list[MediaExample] = []
    for operation_id, (_, _, operation) in operations(spec).items():
        if "requestBody" in operation:
            body = resolve(spec, operation["requestBody"])
            found += _examples_of(f"{operation_id}-request", body.get("content", {}), spec)
        for code, response in operation["responses"].items():
            if "$ref" not in response:  # a $ref'd response is collected from components below
                found += _examples_of(f"{operation_id}-{code}", response.get("content", {}), spec)
    for name, response in spec.get("components", {}).get("responses", {}).items():
        found += _examples_of(f"components.{name}", response.get("content", {}), spec)
    return found
