"""Record real exchanges with HubSpot's four email endpoints into `tests/recordings/` (redacted).

    HUBSPOT_ACCESS_TOKEN=... python scripts/record.py --email-id 123456789 --to you@your-company.com \\
        --event-id 987654321 --yes [--out tests/recordings/recorded] [--only batchCreateEmails ...]

Use a test account: this sends real email to `--to` (and to addresses derived from it), creates email
engagements on the CRM timeline and registers contacts to a marketing event. Against HubSpot's host
(any host that is not loopback) it refuses to run without `--yes`; against the simulator
(`python -m hubspot_email.testing`, or `Simulator().serve()` in tests) no confirmation is needed.

Each scenario in `SCENARIOS` is one HTTP request (plain httpx, no client, no retries, so deliberately
invalid requests are recorded too) and becomes one file `<out>/<operationId>/<slug>.json` in the
format of `tests/recordings/recording.schema.json`. Before writing, every exchange goes through
`redact_exchange`: the token is removed everywhere, email addresses become stable fakes
(person1@example.com), account ids become stable fakes of the same shape and JSON type, and headers
that identify the account or set cookies are dropped. `find_leaks` then checks the redacted file for
the token and the real inputs; a file that would leak one is not written.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from hubspot_email.testing._spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "recordings" / "recorded"
HUBSPOT_BASE_URL = "https://api.hubapi.com"
TOKEN_VARIABLE = "HUBSPOT_ACCESS_TOKEN"  # noqa: S105 (the variable's name, not a token)
REDACTED = "<redacted>"
REDACTED_AUTHORIZATION = f"Bearer {REDACTED}"
TOKEN_SECRET = "the access token"  # noqa: S105 (a label in messages, not a token)

# The spec's path parameters, spelled as this script's run values.
SPEC_PARAMETERS = {"{objectId}": "${event_id}", "{subscriberState}": "${subscriber_state}"}


def spec_paths() -> dict[str, str]:
    """operationId -> path template of each numbered POST operation, from the spec the client was
    generated from (the only copy). Only POSTs: a scenario is one request with a JSON body; the
    send-status lookup (a GET of a statusId a send answered with) is not recorded. The dated successors
    are left out: they take the same requests and give the same answers, and the contract tests check
    them on their twins' recordings, re-addressed."""
    paths: dict[str, str] = {}
    for template, item in load_spec()["paths"].items():
        if "post" not in item or item["post"].get("x-hubspot-api-family") == "dated":
            continue
        for spec_name, own_name in SPEC_PARAMETERS.items():
            template = template.replace(spec_name, own_name)
        paths[item["post"]["operationId"]] = template
    return paths


OPERATION_PATHS = spec_paths()
EVENT_PATH = re.compile(r"^(/marketing/v3/marketing-events/)([^/]+)(/attendance/.*)$")


# --- Scenarios: data. `Var(name)` is a typed value; "${name}" inside a string is text. -------------


@dataclass(frozen=True)
class Var:
    """A placeholder for one run value, replaced with the value itself (an int stays an int)."""

    name: str


@dataclass(frozen=True)
class Scenario:
    operation: str
    slug: str
    description: str
    body: Any
    request_conforms: bool = True


def _engagement(subject: str, timestamp: Any, trace: str) -> dict[str, Any]:
    return {
        "properties": {
            "hs_timestamp": timestamp,
            "hs_email_direction": "EMAIL",
            "hs_email_status": "SENT",
            "hs_email_subject": subject,
            "hs_email_text": "Logged by scripts/record.py (hubspot-email) for a recording.",
            "hs_email_headers": json.dumps(
                {"from": {"email": "${to}"}, "to": [{"email": "${plus_1}"}], "cc": [], "bcc": []}
            ),
        },
        "associations": Var("associations"),
        "objectWriteTraceId": trace,
    }


def _attendee(email: Any) -> dict[str, Any]:
    return {
        "email": email,
        "interactionDateTime": Var("now_ms"),
        "properties": {},
        "contactProperties": {"firstname": "hubspot-email", "lastname": "recording"},
    }


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "sendSingleEmail",
        "send",
        "A v4 single send of a published email to one recipient with a fresh sendId: the normal case. "
        "The answer carries the send's status, its statusId and, once sent, the eventId.",
        {"emailId": Var("email_id"), "message": {"to": Var("to"), "sendId": Var("send_id")}},
    ),
    Scenario(
        "sendSingleEmail",
        "send-duplicate-send-id",
        "The same v4 single send again with the sendId already used: HubSpot sends at most one email "
        "per sendId per account, so this one is de-duplicated and nothing new is delivered.",
        {"emailId": Var("email_id"), "message": {"to": Var("to"), "sendId": Var("send_id")}},
    ),
    Scenario(
        "sendSingleEmail",
        "send-role-based-recipient",
        "A v4 single send to a role-based address (noreply@ the recipient's domain), which HubSpot "
        "refuses to deliver: the answer is 200 with the sendResult that says why.",
        {"emailId": Var("email_id"), "message": {"to": Var("role_to"), "sendId": Var("role_send_id")}},
    ),
    Scenario(
        "sendLegacySingleEmail",
        "send",
        "A legacy (v1) transactional single send to one recipient with a fresh sendId: the normal case, "
        "answered with a sendResult and an eventId whose `created` is epoch milliseconds.",
        {"emailId": Var("email_id"), "message": {"to": Var("to"), "sendId": Var("legacy_send_id")}},
    ),
    Scenario(
        "sendLegacySingleEmail",
        "missing-to",
        "A deliberately invalid legacy single send whose message has no `to`: HubSpot answers 400 with "
        "its Error body; a 4xx means do not resend.",
        {"emailId": Var("email_id"), "message": {"sendId": Var("invalid_send_id")}},
        request_conforms=False,
    ),
    Scenario(
        "batchCreateEmails",
        "all-created",
        "A batch create of two valid email engagements, each with its own objectWriteTraceId: all are "
        "created (201) and each result echoes its objectWriteTraceId.",
        {
            "inputs": [
                _engagement("hubspot-email recording 1", "${now_ms}", "${trace_1}"),
                _engagement("hubspot-email recording 2", "${now_ms}", "${trace_2}"),
            ]
        },
    ),
    Scenario(
        "batchCreateEmails",
        "bad-timestamp",
        "A batch create of one valid email engagement and one whose hs_timestamp is neither epoch "
        "milliseconds nor ISO-8601: a multi-status answer (207) with one result and one error naming "
        "the failed input's objectWriteTraceId.",
        {
            "inputs": [
                _engagement("hubspot-email recording 3", "${now_ms}", "${trace_3}"),
                _engagement("hubspot-email recording 4", "yesterday", "${trace_4}"),
            ]
        },
    ),
    Scenario(
        "recordAttendanceByEmail",
        "register-two",
        "Registers two addresses (plus-addressed variants of one mailbox) to a marketing event: 200 "
        "with each address and the id (vid) of its contact, created when it did not exist.",
        {"inputs": [_attendee(Var("plus_1")), _attendee(Var("plus_2"))]},
    ),
    Scenario(
        "recordAttendanceByEmail",
        "invalid-email",
        "Registers one known address and one that is not an email address: still 200, with the valid "
        "one in results and the invalid one in errors (partial failure inside a 200 body).",
        {"inputs": [_attendee(Var("plus_1")), _attendee("not-an-email")]},
    ),
)


def run_values(
    *, email_id: int, to: str, event_id: str, contact_id: str | None, run_id: str, now_ms: int
) -> dict[str, Any]:
    """The values one run fills the scenarios with (fresh sendIds and trace ids per run)."""
    local, _, domain = to.rpartition("@")
    joiner = "-" if "+" in local else "+"
    associations: list[dict[str, Any]] = []
    if contact_id is not None:
        associations.append(
            {
                "to": {"id": contact_id},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}],
            }
        )
    return {
        "email_id": email_id,
        "to": to,
        "role_to": f"noreply@{domain}",
        "plus_1": f"{local}{joiner}record1@{domain}",
        "plus_2": f"{local}{joiner}record2@{domain}",
        "event_id": event_id,
        "subscriber_state": "register",
        "send_id": f"hubspot-email-record-{run_id}-v4",
        "role_send_id": f"hubspot-email-record-{run_id}-v4-role",
        "legacy_send_id": f"hubspot-email-record-{run_id}-v1",
        "invalid_send_id": f"hubspot-email-record-{run_id}-v1-invalid",
        "trace_1": f"record-{run_id}-1",
        "trace_2": f"record-{run_id}-2",
        "trace_3": f"record-{run_id}-3",
        "trace_4": f"record-{run_id}-4",
        "now_ms": now_ms,
        "associations": associations,
    }


_TEXT_VAR = re.compile(r"\$\{(\w+)\}")


def fill(template: Any, values: Mapping[str, Any], text: Callable[[Any], str] = str) -> Any:
    """The template with every Var replaced by its value and every "${name}" by `text(value)`."""
    if isinstance(template, Var):
        return values[template.name]
    if isinstance(template, dict):
        return {key: fill(item, values, text) for key, item in template.items()}
    if isinstance(template, list):
        return [fill(item, values, text) for item in template]
    if isinstance(template, str):
        return _TEXT_VAR.sub(lambda match: text(values[match.group(1)]), template)
    return template


def request_path(operation: str, values: Mapping[str, Any]) -> str:
    path: str = fill(OPERATION_PATHS[operation], values, lambda value: quote(str(value), safe=""))
    return path


# --- Redaction: plain functions over one exchange, with one table of fakes per run. ---------------

# Addresses as they occur in text (the common local-part characters: quotes and brackets around an
# address are not part of it).
ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
HEX = re.compile(r"^[0-9a-fA-F]{8,}$")
HUBSPOT_URL = re.compile(r"https?://[\w.-]*hubspot\.com/[^\s\"'<>]*")
DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{4,}(?![0-9])")
# HubSpot refuses these local parts (the fact sheet): kept in fakes, so a recording still shows why.
ROLE_LOCAL_PARTS = frozenset(
    {"abuse", "no-reply", "noreply", "root", "spam", "security", "undisclosed-recipients"}
    | {"unsubscribe", "inoc", "postmaster", "privacy"}
)
FAKE_DOMAINS = ("example.com", "example.org", "example.net")
# Keys whose values are account ids (or lists of them), wherever they occur in a body.
ID_KEYS = frozenset(
    {"id", "ids", "emailId", "vid", "statusId", "correlationId", "objectWriteTraceId", "requestId"}
    | {"hs_object_id", "hubspot_owner_id", "hubspot_team_id", "hs_created_by_user_id"}
    | {"hs_updated_by_user_id", "hs_object_source_id", "hs_object_source_user_id"}
    | {"portalId", "portal_id", "hubId", "hub_id", "appId", "userId", "traceId"}
)
# Response headers that identify the account, set cookies, or no longer describe the stored body.
DROPPED_HEADERS = frozenset(
    {"set-cookie", "cookie", "x-hubspot-portal-id", "report-to", "nel", "host", "connection"}
    | {"keep-alive", "transfer-encoding", "content-length", "content-encoding", "accept-encoding"}
)
ID_HEADER = re.compile(r"^(cf-ray|traceparent|x-amz-cf-id|.*(?:^|-)(?:correlation|request|trace)(?:-?id)?)$")
# Kept verbatim: the redaction never rewrites a rate-limit counter, a date or a media type.
VERBATIM_HEADER = re.compile(r"^(x-hubspot-ratelimit-.*|date|content-type|retry-after|server)$")
# An id this long (or a non-numeric one of 4+) is also replaced inside other strings; shorter numeric
# ids only where they are values of id keys, so that timestamps and counters stay intact.
MIN_EMBEDDED_DIGITS = 6
MIN_EMBEDDED_TEXT = 4


def _drops(name: str) -> bool:
    return name in DROPPED_HEADERS or "cookie" in name or "portal" in name


def fake_like(real: str, n: int) -> str:
    """A fake id with the shape of `real`: a uuid stays a uuid, digits stay digits of the same length."""
    if UUID.match(real):
        return f"00000000-0000-4000-8000-{n:012d}"
    if real.startswith("-") and real[1:].isdigit():  # a negative int stays a negative int
        return "-" + fake_like(real[1:], n)
    if real.isdigit() and real.isascii():
        return str(10 ** (len(real) - 1) + n) if len(real) > 1 else str(n)
    if HEX.match(real):
        return f"{n:0{len(real)}x}"
    return f"redacted-id-{n}"


def _embeddable(real: str) -> bool:
    if real.isdigit():
        return len(real) >= MIN_EMBEDDED_DIGITS
    return len(real) >= MIN_EMBEDDED_TEXT


def _alternatives(texts: Iterable[str]) -> str:
    """A regex alternation of `texts`, longest first (so that no shorter one wins inside a longer one)."""
    return "|".join(re.escape(text) for text in sorted(set(texts), key=len, reverse=True))


@dataclass
class Pseudonyms:
    """The fakes of one recording run: the same real address or id gets the same fake in every file."""

    ids: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    mailboxes: dict[tuple[str, str], str] = field(default_factory=dict)
    _next_id: int = 1

    def learn_id(self, real: str | int) -> str:
        """The fake for id `real` (as text), made on first sight."""
        key = str(real)
        if key not in self.ids:
            taken = set(self.ids) | set(self.ids.values())
            fake = fake_like(key, self._next_id)
            while fake in taken or fake == key:
                self._next_id += 1
                fake = fake_like(key, self._next_id)
            self._next_id += 1
            self.ids[key] = fake
        return self.ids[key]

    def fake_id(self, real: Any) -> Any:
        """The fake of an id value, with its JSON type (int or string); other types are kept."""
        if isinstance(real, bool) or not isinstance(real, int | str):
            return real
        fake = self.learn_id(real)
        return int(fake) if isinstance(real, int) else fake

    def domain(self, real: str) -> str:
        key = real.lower()
        if key not in self.domains:
            count = len(self.domains)
            self.domains[key] = (
                FAKE_DOMAINS[count] if count < len(FAKE_DOMAINS) else f"example{count + 1}.com"
            )
        return self.domains[key]

    def address(self, real: str) -> str:
        """person<n>[+tag]@example.com; role-based local parts (noreply@...) keep their name."""
        key = real.lower()
        if key not in self.addresses:
            local, _, domain = key.rpartition("@")
            base, plus, tag = local.partition("+")
            fake_domain = self.domain(domain)
            if base in ROLE_LOCAL_PARTS:
                fake_base = base
            else:
                mailbox = (base, domain)
                if mailbox not in self.mailboxes:
                    self.mailboxes[mailbox] = f"person{len(self.mailboxes) + 1}"
                fake_base = self.mailboxes[mailbox]
            self.addresses[key] = f"{fake_base}{plus}{tag}@{fake_domain}"
        return self.addresses[key]

    def redact_text(self, text: str) -> str:
        """Addresses, their domains and known ids inside free text, each replaced by its fake.

        One pass over the text, so that no fake is ever replaced again.
        """
        for url in HUBSPOT_URL.findall(text):  # app links carry the portal id and record ids
            for run in DIGIT_RUN.findall(url):
                self.learn_id(run)
        for address in ADDRESS.findall(text):  # their domains are replaced even where they stand alone
            self.address(address)
        parts = [f"(?P<address>{ADDRESS.pattern})"]
        domains = _alternatives(real for real, fake in self.domains.items() if real != fake)
        if domains:
            parts.append(f"(?P<domain>(?<![0-9A-Za-z-])(?:{domains})(?![0-9A-Za-z-]))")
        ids = _alternatives(real for real in self.ids if _embeddable(real))
        if ids:
            parts.append(f"(?P<id>(?<![0-9A-Za-z])(?:{ids})(?![0-9A-Za-z]))")
        lowered_ids = {real.lower(): fake for real, fake in self.ids.items()}

        def replace(match: re.Match[str]) -> str:
            if match.group("address") is not None:
                return self.address(match.group(0))
            if "domain" in match.groupdict() and match.group("domain") is not None:
                return self.domains[match.group(0).lower()]
            return lowered_ids[match.group(0).lower()]

        return re.compile("|".join(parts), re.IGNORECASE).sub(replace, text)


def remove_token(value: Any, token: str) -> Any:
    """`value` (any JSON, keys included) with every occurrence of `token` replaced by <redacted>."""
    if not token:
        return value
    if isinstance(value, str):
        return value.replace(token, REDACTED)
    if isinstance(value, dict):
        return {remove_token(key, token): remove_token(item, token) for key, item in value.items()}
    if isinstance(value, list):
        return [remove_token(item, token) for item in value]
    return value


def _learn_ids(value: Any, names: Pseudonyms, key: str | None = None) -> None:
    if isinstance(value, dict):
        for child_key, child in value.items():
            _learn_ids(child, names, child_key)
    elif isinstance(value, list):
        for item in value:
            _learn_ids(item, names, key)
    elif key in ID_KEYS and not isinstance(value, bool) and isinstance(value, int | str):
        names.learn_id(value)


def _redact_body(value: Any, names: Pseudonyms, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {names.redact_text(k): _redact_body(item, names, k) for k, item in value.items()}
    if isinstance(value, list):
        return [_redact_body(item, names, key) for item in value]
    if key in ID_KEYS:
        return names.fake_id(value)
    if isinstance(value, str):
        return names.redact_text(value)
    return value


def _headers(headers: Mapping[str, str]) -> dict[str, str]:
    lowered = {name.lower(): value for name, value in headers.items()}
    return {name: value for name, value in lowered.items() if not _drops(name)}


def _redact_headers(headers: dict[str, str], names: Pseudonyms) -> dict[str, str]:
    redacted: dict[str, str] = {}
    for name, value in headers.items():
        if name == "authorization":
            redacted[name] = REDACTED_AUTHORIZATION
        elif ID_HEADER.match(name):
            redacted[name] = names.learn_id(value)
        elif VERBATIM_HEADER.match(name):
            redacted[name] = value
        else:
            redacted[name] = names.redact_text(value)
    return redacted


def redact_exchange(
    exchange: Mapping[str, Any], token: str, pseudonyms: Pseudonyms | None = None
) -> dict[str, Any]:
    """A redacted copy of one recording (the input is not changed).

    - the token is removed everywhere (headers, bodies, text, keys); authorization is `Bearer <redacted>`;
    - header names are lower-cased; cookies, account headers (x-hubspot-portal-id) and headers that no
      longer describe the stored body (content-length, content-encoding, transfer-encoding) are dropped;
    - every email address (keys and values, free text included) becomes a stable fake;
    - ids (ID_KEYS values, the event id in the path, correlation/request/trace headers) become stable
      fakes of the same type and shape, also where they occur inside other strings.
    Statuses, enum values, rate-limit headers, timestamps and the structure are kept.
    `pseudonyms` carries the fakes from one exchange to the next; without it each call starts afresh.
    """
    names = pseudonyms if pseudonyms is not None else Pseudonyms()
    result: dict[str, Any] = remove_token(json.loads(json.dumps(dict(exchange))), token)
    request = result.get("request", {})
    response = result.get("response", {})
    request_headers = _headers(request.get("headers", {}))
    response_headers = _headers(response.get("headers", {}))

    # First learn every id of the exchange, so that each is also replaced inside the other strings.
    event = EVENT_PATH.match(request.get("path", ""))
    if event:
        names.learn_id(event.group(2))
    for headers in (request_headers, response_headers):
        for name, value in headers.items():
            if ID_HEADER.match(name):
                names.learn_id(value)
    _learn_ids(request.get("body"), names)
    _learn_ids(response.get("body"), names)

    if event:  # the event id is replaced as a path segment, however short it is
        fake_event = names.learn_id(event.group(2))
        request["path"] = event.group(1) + fake_event + names.redact_text(event.group(3))
    elif "path" in request:
        request["path"] = names.redact_text(request["path"])
    if "headers" in request:
        request["headers"] = _redact_headers(request_headers, names)
    if "headers" in response:
        response["headers"] = _redact_headers(response_headers, names)
    for part in (request, response):
        if "body" in part:
            part["body"] = _redact_body(part["body"], names)
        if "text" in part:
            part["text"] = names.redact_text(part["text"])
    return result


def find_leaks(text: str, secrets: Mapping[str, str]) -> list[str]:
    """The names of the secrets that occur in `text`, case-insensitively.

    The token anywhere; the others as whole words (not inside a longer run of letters and digits).
    """
    leaked = []
    lowered = text.lower()
    for name, secret in secrets.items():
        if not secret:
            continue
        if name == TOKEN_SECRET:
            found = secret.lower() in lowered
        else:
            found = (
                re.search(f"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", text, re.IGNORECASE)
                is not None
            )
        if found:
            leaked.append(name)
    return leaked


_RESERVED_DOMAIN = re.compile(r"(^|\.)(example\.(com|org|net)|test|invalid|example|localhost)$")


def run_secrets(token: str, values: Mapping[str, Any], contact_id: str | None) -> dict[str, str]:
    """What must never reach a recording file: the token and the real inputs redaction promises to hide."""
    secrets = {TOKEN_SECRET: token}
    for name in ("to", "role_to", "plus_1", "plus_2"):
        secrets[f"the address {name}"] = str(values[name])
    domain = str(values["to"]).rpartition("@")[2].lower()
    if not _RESERVED_DOMAIN.search(domain):
        secrets["the --to domain"] = domain
    candidates = {"the --event-id": str(values["event_id"]), "the --email-id": str(values["email_id"])}
    if contact_id is not None:
        candidates["the --contact-id"] = contact_id
    secrets.update({name: value for name, value in candidates.items() if _embeddable(value)})
    return secrets


# --- Recording: one HTTP call per scenario. ---------------------------------------------------------


def is_loopback(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _response_part(response: httpx.Response) -> dict[str, Any]:
    part: dict[str, Any] = {"status": response.status_code, "headers": dict(response.headers.items())}
    if response.content:
        try:
            part["body"] = json.loads(response.content)
        except ValueError:
            part["text"] = response.text
    return part


def record_exchange(
    client: httpx.Client, scenario: Scenario, values: Mapping[str, Any], token: str, source: str
) -> dict[str, Any]:
    """Send the scenario's one request and return the exchange, NOT yet redacted."""
    body = fill(scenario.body, values)
    response = client.post(
        request_path(scenario.operation, values),
        json=body,
        headers={"authorization": f"Bearer {token}", "accept": "application/json"},
    )
    exchange: dict[str, Any] = {
        "operation": scenario.operation,
        "description": scenario.description,
        "source": source,
    }
    if not scenario.request_conforms:
        exchange["request_conforms"] = False
    exchange["request"] = {
        "method": response.request.method,
        "path": response.request.url.raw_path.decode("ascii"),
        "headers": dict(response.request.headers.items()),
        "body": body,
    }
    exchange["response"] = _response_part(response)
    return exchange


def write_recording(out: Path, recording: Mapping[str, Any], slug: str) -> Path:
    path = out / str(recording["operation"]) / f"{slug}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(recording, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="record.py",
        description=f"Record redacted exchanges with HubSpot's email endpoints ({TOKEN_VARIABLE} required).",
    )
    parser.add_argument(
        "--email-id", type=int, required=True, help="a published email saved for single sends"
    )
    parser.add_argument("--to", required=True, help="the recipient (real email is sent there)")
    parser.add_argument("--event-id", required=True, help="a marketing event's objectId (for attendance)")
    parser.add_argument("--contact-id", help="a contact id to associate the engagements with (optional)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write (default: %(default)s)")
    parser.add_argument("--base-url", default=HUBSPOT_BASE_URL, help="default: %(default)s")
    parser.add_argument(
        "--only",
        nargs="+",
        action="extend",
        choices=sorted(OPERATION_PATHS),
        metavar="OPERATION",
        help="record only these operations",
    )
    parser.add_argument("--yes", action="store_true", help="confirm sending to a host that is not loopback")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    args = parser.parse_args(argv)
    if "@" not in args.to:
        parser.error("--to must be an email address")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        print(
            f"record.py: {TOKEN_VARIABLE} is not set: export a private-app access token "
            "(of a test account) to record exchanges.",
            file=sys.stderr,
        )
        return 2
    base_url = args.base_url.rstrip("/")
    loopback = is_loopback(base_url)
    if loopback:
        print(f"record.py: recording against {base_url} (loopback, e.g. the simulator).", file=sys.stderr)
    else:
        print(
            "record.py: WARNING: this sends real email to the --to address (and plus-addressed variants), "
            "creates real email engagements and registers contacts to the marketing event.",
            file=sys.stderr,
        )
        if not args.yes:
            print(f"record.py: refusing to send to {base_url} without --yes.", file=sys.stderr)
            return 2

    now = datetime.now(UTC)
    source = f"{'simulator' if loopback else 'recorded'}: {now.date().isoformat()}"
    values = run_values(
        email_id=args.email_id,
        to=args.to,
        event_id=args.event_id,
        contact_id=args.contact_id,
        run_id=uuid.uuid4().hex[:12],
        now_ms=int(now.timestamp() * 1000),
    )
    secrets = run_secrets(token, values, args.contact_id)
    names = Pseudonyms()
    names.address(args.to)  # the real inputs first: known even to an error message before any answer
    for known in (args.email_id, args.event_id, args.contact_id):
        if known is not None:
            names.learn_id(known)
    scenarios = [s for s in SCENARIOS if not args.only or s.operation in args.only]
    failures = 0
    # No retries (httpx's default transport makes one attempt): each file is exactly one HTTP call.
    with httpx.Client(base_url=base_url, timeout=args.timeout, follow_redirects=False) as client:
        for scenario in scenarios:
            label = f"{scenario.operation}/{scenario.slug}"
            try:
                exchange = record_exchange(client, scenario, values, token, source)
            except httpx.HTTPError as error:
                failures += 1
                reason = names.redact_text(remove_token(str(error), token))
                print(f"{label} failed: {type(error).__name__}: {reason}", file=sys.stderr)
                continue
            recording = redact_exchange(exchange, token, names)
            leaks = find_leaks(json.dumps(recording, ensure_ascii=False), secrets)
            if leaks:
                failures += 1
                print(f"{label} not written: it would contain {', '.join(leaks)}", file=sys.stderr)
                continue
            path = write_recording(args.out, recording, scenario.slug)
            print(f"{scenario.operation} {recording['response']['status']} {path}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
