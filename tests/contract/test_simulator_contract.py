"""schemathesis fuzzes the spec against the simulator, in process (ASGI).

Positive mode: every request the spec allows is accepted, and every answer passes schemathesis's
response checks (documented status, content type, headers and body schema; invalid credentials refused).
The send-status lookup answers a generated statusId with its documented 404 (no send answered with it),
so each of its cases is also sent again with the statusId of a send the simulator accepted: a 200.
Negative mode: every request the spec forbids is refused with a 4xx, never a 2xx or a 5xx.

Every operation of the spec is fuzzed in each mode that runs, the send-status lookup (a GET) and the
dated successors included (their `version` path parameter too: any YYYY-MM is served, anything else
refused).

Both fuzz the spec with its request enums closed, as HubSpot keeps them: the spec leaves some enums
open (`anyOf: [enum, string]`, e.g. associationCategory) so that answers carrying values HubSpot adds
later still parse, but HubSpot refuses a request with a value outside the enum, and so does the
simulator (a 400 naming the field). The closing is the simulator's own (`closed_request_enums`).

`HUBSPOT_EMAIL_FUZZ_EXAMPLES` sets the examples per operation and mode (`nox -s contract`: 1000).
schemathesis's coverage phase (its own boundary and missing-field cases, hundreds per operation) runs
only when `HUBSPOT_EMAIL_FUZZ_COVERAGE=1` (`nox -s contract` sets it), to keep the default suite quick.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pytest
import schemathesis
import yaml
from hubspot_email.testing import RateLimit, Simulator
from hubspot_email.testing._spec import closed_request_enums
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import negative_data_rejection

if TYPE_CHECKING:
    from tests.contract._fuzz import fuzz_examples, fuzz_settings
else:
    from _fuzz import fuzz_examples, fuzz_settings

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "hubspot-email.yaml"
TOKEN = "contract-test-token"
SCOPES = [
    "marketing-email",
    "transactional-email",
    "crm.objects.contacts.write",
    "crm.objects.marketing_events.write",
]
# The fuzzers send thousands of requests: a budget they can't exhaust, so every answer is about the data.
UNLIMITED = RateLimit(max_requests=10**9, interval=10.0, daily=10**9)

# A token is configured, so schemathesis also checks that invalid credentials are refused.
simulator = Simulator(tokens={TOKEN: SCOPES}, rate_limit=UNLIMITED)


TestFunction = TypeVar("TestFunction", bound=Callable[..., None])


def load_schema(mode: str) -> Callable[[TestFunction], TestFunction]:
    """schemathesis's `parametrize()` for the spec in one generation mode, against the simulator."""
    coverage = os.environ.get("HUBSPOT_EMAIL_FUZZ_COVERAGE") == "1"
    config = SchemathesisConfig.from_dict(
        {
            "auth": {"openapi": {"bearerAuth": {"bearer": TOKEN}}},
            "generation": {"mode": mode},
            "phases": {"coverage": {"enabled": coverage}},
        }
    )
    document = closed_request_enums(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    schema = schemathesis.openapi.from_dict(document, config=config)
    schema.app = simulator
    # parametrize() is typed as a bare Callable; it returns the test it decorates.
    return cast("Callable[[TestFunction], TestFunction]", schema.parametrize())


parametrize_positive = load_schema("positive")
parametrize_negative = load_schema("negative")
FUZZ = settings(fuzz_settings(), suppress_health_check=list(HealthCheck))


# Cases sent per (mode, operation): the long fuzz promises at least HUBSPOT_EMAIL_FUZZ_EXAMPLES of each.
CASES_SENT: Counter[tuple[str, str]] = Counter()


def spec_operation_labels() -> set[str]:
    """`POST /path` of every operation of the spec, as schemathesis labels them."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in methods
    }


@pytest.fixture(scope="module", autouse=True)
def each_operation_gets_the_cases_promised() -> Iterator[None]:
    yield
    short = {key: count for key, count in CASES_SENT.items() if count < fuzz_examples()}
    assert not short, f"fewer than {fuzz_examples()} cases for {short}"
    for mode in {mode for mode, _ in CASES_SENT}:  # the modes whose test ran (one may be deselected)
        fuzzed = {label for sent_mode, label in CASES_SENT if sent_mode == mode}
        assert fuzzed == spec_operation_labels(), f"{mode}: not every operation was fuzzed"


STATUS_PATH = "/marketing/v3/email/send-statuses/{statusId}"


def issued_status_id() -> str:
    """The statusId of a v4 send the simulator has accepted: one the status lookup knows."""
    with simulator.client(access_token=TOKEN) as client:
        status_id = client.send_email(email_id=1, to="ada@example.com").status_id
    assert status_id is not None
    return status_id


@parametrize_positive
@FUZZ
def test_valid_requests_are_accepted_and_answered_as_the_spec_says(case: Any) -> None:
    CASES_SENT["positive", case.operation.label] += 1
    response = case.call_and_validate()
    # A sendId already delivered is refused by the legacy send with 409 (the v4 send answers
    # IDEMPOTENT_IGNORE): the generated requests reuse sendIds, so that one refusal is expected.
    duplicate = response.status_code == 409 and case.operation.path == "/email/public/v1/singleEmail/send"
    # A generated statusId is one no send answered with: the lookup knows none by it (a documented 404).
    unknown_status = response.status_code == 404 and case.operation.path == STATUS_PATH
    assert 200 <= response.status_code < 300 or duplicate or unknown_status, response.text
    if case.operation.path == STATUS_PATH:
        # ... and the same request for a statusId a send did answer with is answered as documented.
        case.path_parameters["statusId"] = issued_status_id()
        known = case.call_and_validate()
        assert known.status_code == 200, known.text


@parametrize_negative
@FUZZ
def test_invalid_requests_are_refused_with_a_4xx(case: Any) -> None:
    CASES_SENT["negative", case.operation.label] += 1
    case.call_and_validate(checks=[not_a_server_error, negative_data_rejection])
