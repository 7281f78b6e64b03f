"""The sources the spec tests read: facts from HubSpot's reference pages (the seeds) and the spec itself.

Shared by `test_spec_conformance.py`, `test_generated_models.py` and `test_seed_facts.py`. At run time
they import it as `from _seeds import ...`: with pytest's default `prepend` import mode the folder of
a test file that has no `__init__.py` is put on `sys.path`, so no package and no conftest are needed.
Under `TYPE_CHECKING` they import `tests.spec._seeds` instead, the name mypy gives this file with
`explicit_package_bases` (pyproject.toml).

The pages live outside the repository, in `shared/seeds/` beside it (`HUBSPOT_EMAIL_SEEDS_DIR`
overrides the location), and a clone has no such folder. So the tests never read the pages: they read
`seed_facts.json` beside this file, the facts the parsers below (`page_*`) extract from the pages,
committed. `python tests/spec/_seeds.py --write` regenerates it from the pages; `--check` says whether
it still matches them, as `test_seed_facts.py` does whenever the pages are there. The pages are
read-only text copies of HubSpot's pages, partly in French, German and Japanese; the page-specific
parsers key on the words those pages use.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openapi_spec_validator.readers import read_from_filename

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi" / "hubspot-email.yaml"
FACTS_PATH = Path(__file__).resolve().with_name("seed_facts.json")
SEEDS_DIR_VARIABLE = "HUBSPOT_EMAIL_SEEDS_DIR"
SEEDS_DIR = Path(os.environ.get(SEEDS_DIR_VARIABLE) or REPO_ROOT.parent / "shared" / "seeds")
# The reason the cross-check skips with when there are no pages, and the line the run's summary prints
# (tests/conftest.py prints the reason of a skip that starts with `SEEDS_MISSING_PREFIX`).
SEEDS_MISSING_PREFIX = "seed pages not found"
SEEDS_MISSING = (
    f"{SEEDS_MISSING_PREFIX} (../shared/seeds or {SEEDS_DIR_VARIABLE}): "
    "the committed facts were not cross-checked against them"
)

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
def seeds_present() -> bool:
    """Whether the seed folder exists (a clone has none); a page missing from it is still an error."""
    return SEEDS_DIR.is_dir()


@cache
def page_text(name: str) -> str:
    """The text of one seed page; fails loudly (never skips) when the page is not where expected."""
    path = SEEDS_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"seed page {path} not found (set {SEEDS_DIR_VARIABLE})")
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


def page_examples(name: str) -> list[dict[str, Any]]:
    """The JSON examples of one seed page: request, response (repeated on pages that repeat them)."""
    return extract_json_objects(page_text(name))


def _between(text: str, start: str, end: str) -> str:
    """The text after the first `start` and before the next `end`."""
    begin = text.index(start) + len(start)
    return text[begin : text.index(end, begin)]


def _comma_list(segment: str) -> list[str]:
    return [value.strip() for value in segment.split(",") if value.strip()]


def page_v4_send_results() -> list[str]:
    """The sendResult values listed on the v4 page (French label, German "available options")."""
    section = _between(page_text(V4_SINGLE_SEND), "Résultat de l'envoi.", "\nstartedAt\n")
    return _comma_list(section.split("Verfügbare Optionen:", 1)[1])


def page_v4_statuses() -> list[str]:
    """The status values listed on the v4 page, between the `status` field and `statusId`."""
    section = _between(page_text(V4_SINGLE_SEND), "\nstatus\nenum<string>", "\nstatusId\n")
    return _comma_list(section.split("Verfügbare Optionen:", 1)[1])


def page_attendance_statuses() -> list[str]:
    """The status values listed (in one line) on the attendance page, after "the request's status"."""
    return _comma_list(
        _between(page_text(ATTENDANCE_BY_EMAIL), "リクエスト処理のステータス\n", "Show child attributes")
    )


def page_legacy_send_results() -> list[str]:
    """The legacy SendResult values: the `• NAME — description` bullets after the enumeration's intro."""
    section = page_text(LEGACY_SINGLE_SEND).split("SendResult is an enumeration", 1)[1]
    return re.findall(r"•\s+([A-Z][A-Z_]*)\s+—", section)


def page_bullets(name: str, start: str, end: str) -> list[str]:
    """The first word of each `•` bullet between `start` and `end` on a seed page."""
    return re.findall(r"•\s+(\w+)", _between(page_text(name), start, end))


# The field lists of page 001 (prose only): section -> (the heading before its bullets, the text after).
LEGACY_FIELD_SECTIONS: dict[str, tuple[str, str]] = {
    "top-level": ("Top-level fields", "The emailId field"),
    "message": ("Message object fields:", "The contactProperties field"),
    "response": ("The response contains the following fields:", "The SendResult is"),
}


def page_legacy_field_bullets() -> dict[str, list[str]]:
    """The field names page 001 lists as bullets, by section (see `LEGACY_FIELD_SECTIONS`)."""
    return {
        section: page_bullets(LEGACY_SINGLE_SEND, start, end)
        for section, (start, end) in LEGACY_FIELD_SECTIONS.items()
    }


def page_role_based_local_parts() -> list[str]:
    """The role-based prefixes page 001 names under INVALID_TO_ADDRESS ("a, b, ..., or c.")."""
    listed = _between(page_text(LEGACY_SINGLE_SEND), "role-based prefixes in the email address:", ".\n")
    return [value.removeprefix("or ").strip() for value in _comma_list(listed)]


HUBSPOT_URL = re.compile(r"https://api\.hubapi\.com/[^\s'\"\\]+")


def page_endpoint_urls(name: str) -> list[str]:
    """The distinct `https://api.hubapi.com/...` URLs of a page (curl examples, "Example URL")."""
    return list(dict.fromkeys(HUBSPOT_URL.findall(page_text(name))))


def page_path_parameters(name: str) -> list[str]:
    """The `{name}` placeholders of the page's endpoint URLs."""
    found = [re.findall(r"\{(\w+)\}", url) for url in page_endpoint_urls(name)]
    return list(dict.fromkeys(parameter for names in found for parameter in names))


# Each page's heading of its scope list (French, English, German, Japanese).
SCOPE_HEADINGS: dict[str, str] = {
    V4_SINGLE_SEND: "portées suivantes :",
    LEGACY_SINGLE_SEND: "Required Scope:",
    BATCH_CREATE_EMAILS: "folgenden Bereiche:",
    ATTENDANCE_BY_EMAIL: "必須スコープ",
}
SCOPE = re.compile(r"(?:•\s+)?([a-z][a-z0-9]*(?:[.-][a-z0-9_]+)+)")


def page_scopes(name: str) -> list[str]:
    """The scopes listed under the page's scope heading: one a line (or a bullet) up to the first other line.

    Page 003 has the heading but lists no scope (the next line is prose): its list is empty.
    """
    lines = page_text(name).split(SCOPE_HEADINGS[name], 1)[1].strip("\n").splitlines()
    scopes: list[str] = []
    for line in lines:
        match = SCOPE.fullmatch(line.strip())
        if match is None:
            break
        scopes.append(match.group(1))
    return scopes


def page_status_codes(name: str) -> list[str]:
    """The status codes a page shows under its "Response" heading (a line of three digits)."""
    text = page_text(name)
    if "\nResponse\n" not in text:
        return []
    return re.findall(r"^(\d{3})$", text.split("\nResponse\n", 1)[1], flags=re.MULTILINE)


FIELD_TYPE = re.compile(r"(?:integer|number|boolean|string|object|array)(?:<[\w-]+>)?|enum<\w+>")


def page_fields(name: str) -> dict[str, list[dict[str, Any]]]:
    """The field lists of a page's "Body" and "Response" sections: name, type, required label.

    A field is a line with its name, the next with its type (`integer`, `string<date-time>`,
    `enum<string>`...), then `required` when the page marks it. Pages without such lists give none.
    """
    text = page_text(name)
    if "\nBody\n" not in text or "\nResponse\n" not in text:
        return {"request": [], "response": []}
    body, response = text.split("\nBody\n", 1)[1].split("\nResponse\n", 1)
    return {"request": _field_list(body), "response": _field_list(response)}


def _field_list(section: str) -> list[dict[str, Any]]:
    lines = [line.strip() for line in section.splitlines()]
    fields: list[dict[str, Any]] = []
    for index, line in enumerate(lines[:-1]):
        if re.fullmatch(r"[A-Za-z]\w*", line) and FIELD_TYPE.fullmatch(lines[index + 1]):
            required = index + 2 < len(lines) and lines[index + 2] == "required"
            fields.append({"name": line, "type": lines[index + 1], "required": required})
    return fields


# Which enumeration lists each page gives, by the field they are the values of.
PAGE_ENUMS: dict[str, dict[str, Callable[[], list[str]]]] = {
    V4_SINGLE_SEND: {"status": page_v4_statuses, "sendResult": page_v4_send_results},
    LEGACY_SINGLE_SEND: {"sendResult": page_legacy_send_results},
    BATCH_CREATE_EMAILS: {},
    ATTENDANCE_BY_EMAIL: {"status": page_attendance_statuses},
}


def extract_facts() -> dict[str, Any]:
    """Every fact the tests use, extracted from the pages (what `seed_facts.json` holds)."""
    pages: dict[str, Any] = {}
    for name, operation_id in SEED_OPERATIONS.items():
        pages[name] = {
            "operation": operation_id,
            "endpoint_urls": page_endpoint_urls(name),
            "path_parameters": page_path_parameters(name),
            "scopes": page_scopes(name),
            "status_codes": page_status_codes(name),
            "fields": page_fields(name),
            "enums": {field: parse() for field, parse in PAGE_ENUMS[name].items()},
            "field_bullets": page_legacy_field_bullets() if name == LEGACY_SINGLE_SEND else {},
            "role_based_local_parts": page_role_based_local_parts() if name == LEGACY_SINGLE_SEND else [],
            "examples": page_examples(name),
        }
    return {
        "about": "Facts extracted from HubSpot's reference pages (shared/seeds/); "
        "regenerate with `python tests/spec/_seeds.py --write`.",
        "pages": pages,
    }


def facts_json(facts: Mapping[str, Any]) -> str:
    """The text of `seed_facts.json` (2-space indent, trailing newline, page order as listed)."""
    return json.dumps(facts, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------------ the facts
@cache
def load_facts() -> dict[str, Any]:
    """The committed facts (`seed_facts.json`); what every spec test reads instead of the pages."""
    facts: dict[str, Any] = json.loads(FACTS_PATH.read_text(encoding="utf-8"))
    return facts


def page_facts(name: str) -> dict[str, Any]:
    """The committed facts of one page."""
    facts: dict[str, Any] = load_facts()["pages"][name]
    return facts


def seed_examples(name: str) -> list[dict[str, Any]]:
    """The JSON examples of one seed page: request, response (repeated on pages that repeat them)."""
    examples: list[dict[str, Any]] = page_facts(name)["examples"]
    return examples


def seed_requests(name: str) -> list[dict[str, Any]]:
    """The request examples of a seed page: on every page the request comes first, then its response."""
    return seed_examples(name)[0::2]


def seed_responses(name: str) -> list[dict[str, Any]]:
    """The response examples of a seed page (the second object of each request/response pair)."""
    return seed_examples(name)[1::2]


def _strings(name: str, key: str) -> list[str]:
    values: list[str] = page_facts(name)[key]
    return values


def seed_endpoint_urls(name: str) -> list[str]:
    return _strings(name, "endpoint_urls")


def seed_path_parameters(name: str) -> list[str]:
    return _strings(name, "path_parameters")


def seed_scopes(name: str) -> list[str]:
    return _strings(name, "scopes")


def seed_status_codes(name: str) -> list[str]:
    return _strings(name, "status_codes")


def seed_fields(name: str, side: str) -> list[dict[str, Any]]:
    """The page's field list of one side (`request` or `response`): name, type, required."""
    fields: list[dict[str, Any]] = page_facts(name)["fields"][side]
    return fields


def seed_enum(name: str, field: str) -> list[str]:
    values: list[str] = page_facts(name)["enums"][field]
    return values


def seed_v4_send_results() -> list[str]:
    """The sendResult values listed on the v4 page."""
    return seed_enum(V4_SINGLE_SEND, "sendResult")


def seed_v4_statuses() -> list[str]:
    """The status values listed on the v4 page."""
    return seed_enum(V4_SINGLE_SEND, "status")


def seed_attendance_statuses() -> list[str]:
    """The status values listed on the attendance page."""
    return seed_enum(ATTENDANCE_BY_EMAIL, "status")


def seed_legacy_send_results() -> list[str]:
    """The legacy SendResult values (the bullets of page 001's enumeration)."""
    return seed_enum(LEGACY_SINGLE_SEND, "sendResult")


def seed_legacy_field_bullets(section: str) -> list[str]:
    """The field names page 001 lists in one section (`top-level`, `message`, `response`)."""
    bullets: list[str] = page_facts(LEGACY_SINGLE_SEND)["field_bullets"][section]
    return bullets


def seed_role_based_local_parts() -> list[str]:
    """The role-based local parts page 001 says HubSpot refuses (INVALID_TO_ADDRESS)."""
    return _strings(LEGACY_SINGLE_SEND, "role_based_local_parts")


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
    """Every request and response example of the spec, each once: a request body or response kept in
    components (which several operations may use) under its component's name."""
    found: list[MediaExample] = []
    for operation_id, (_, _, operation) in operations(spec).items():
        body = operation.get("requestBody", {})
        if "$ref" not in body:  # a $ref'd body is collected from components below
            found += _examples_of(f"{operation_id}-request", body.get("content", {}), spec)
        for code, response in operation["responses"].items():
            if "$ref" not in response:  # a $ref'd response is collected from components below
                found += _examples_of(f"{operation_id}-{code}", response.get("content", {}), spec)
    components = spec.get("components", {})
    for name, body in components.get("requestBodies", {}).items():
        found += _examples_of(f"components.{name}-request", body.get("content", {}), spec)
    for name, response in components.get("responses", {}).items():
        found += _examples_of(f"components.{name}", response.get("content", {}), spec)
    return found


def operation_examples(spec: Mapping[str, Any], operation_id: str) -> list[MediaExample]:
    """The examples one operation shows, those of its shared request body and responses included,
    located by the operation: `sendSingleEmail-request-seed`, `sendSingleEmail-200-seed`."""
    _, _, operation = operations(spec)[operation_id]
    found: list[MediaExample] = []
    if "requestBody" in operation:
        body = resolve(spec, operation["requestBody"])
        found += _examples_of(f"{operation_id}-request", body.get("content", {}), spec)
    for code, response in operation["responses"].items():
        found += _examples_of(f"{operation_id}-{code}", resolve(spec, response).get("content", {}), spec)
    return found


# ------------------------------------------------------------------------------------------ command line
def main(argv: list[str] | None = None) -> int:
    """`--write`: regenerate seed_facts.json from the pages; `--check`: exit 1 when it differs from them."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="write seed_facts.json from the pages")
    action.add_argument("--check", action="store_true", help="compare seed_facts.json with the pages")
    arguments = parser.parse_args(argv)
    if not seeds_present():
        print(f"{SEEDS_MISSING}: {SEEDS_DIR}", file=sys.stderr)
        return 2
    text = facts_json(extract_facts())
    if arguments.write:
        FACTS_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {FACTS_PATH}")
        return 0
    if FACTS_PATH.read_text(encoding="utf-8") != text:
        print(f"{FACTS_PATH} differs from the pages in {SEEDS_DIR}; run with --write", file=sys.stderr)
        return 1
    print(f"{FACTS_PATH} matches the pages in {SEEDS_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
