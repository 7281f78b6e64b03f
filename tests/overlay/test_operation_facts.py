"""The overlay's operation tables come from the spec embedded in the generated package, every operation."""

from __future__ import annotations

import importlib
import inspect

import pytest
from hubspot_email import _operations as ops
from hubspot_email._spec_facts import (
    OperationFacts,
    api_version_facts,
    embedded_spec,
    engagement_property_enums,
    operation_facts,
)
from hubspot_email._validation import DIRECTIONS, STATUSES

# The generated module of each operation, by the operationId the spec gives it.
GENERATED_MODULES = {
    "sendSingleEmail": "hubspot_email_api.api.single_send.send_single_email",
    "sendLegacySingleEmail": "hubspot_email_api.api.legacy_single_send.send_legacy_single_email",
    "batchCreateEmails": "hubspot_email_api.api.crm_emails.batch_create_emails",
    "recordAttendanceByEmail": "hubspot_email_api.api.marketing_events.record_attendance_by_email",
    "getSendStatus": "hubspot_email_api.api.single_send.get_send_status",
    "sendSingleEmailDated": "hubspot_email_api.api.single_send.send_single_email_dated",
    "batchCreateEmailsDated": "hubspot_email_api.api.crm_emails.batch_create_emails_dated",
    "recordAttendanceByEmailDated": "hubspot_email_api.api.marketing_events.record_attendance_by_email_dated",
}
# Every operation a client method can call: the numbered ones, and the dated successors `route` picks.
CALLED = [
    *ops.OPERATIONS,
    *(
        ops.route(operation, "2026-03").operation
        for operation in ops.OPERATIONS
        if operation.facts.dated_successor
    ),
]


def test_every_operation_of_the_spec_has_facts_and_an_overlay_operation() -> None:
    spec_ids = {
        operation["operationId"] for item in embedded_spec()["paths"].values() for operation in item.values()
    }
    assert set(operation_facts()) == spec_ids
    assert {operation.operation_id for operation in CALLED} == spec_ids
    assert set(GENERATED_MODULES) == spec_ids


@pytest.mark.parametrize("operation", CALLED, ids=lambda operation: operation.operation_id)
def test_an_operations_facts_match_its_generated_request(operation: ops.Operation) -> None:
    facts = operation.facts
    module = importlib.import_module(GENERATED_MODULES[operation.operation_id])
    # The generated request's method and path are the spec's: the facts are read from the same file.
    source = inspect.getsource(module._get_kwargs)
    assert f'"method": "{facts.method.lower()}"' in source
    assert facts.path.split("{")[0] in source
    assert facts.success_statuses
    assert all(200 <= status < 300 for status in facts.success_statuses)
    assert facts.scopes


@pytest.mark.parametrize(
    ("operation", "idempotent", "rate_limited", "key"),
    [
        # What HubSpot's pages say: a sendId makes a single send safe to repeat, and single sends are
        # exempt from the rate limits; the CRM batch and attendance have no key and are counted. The
        # status lookup has no key either, but is a GET (it changes nothing), and nothing exempts it.
        (ops.SEND_EMAIL, True, False, "message.sendId"),
        (ops.SEND_LEGACY_EMAIL, True, False, "message.sendId"),
        (ops.CREATE_EMAILS, False, True, None),
        (ops.RECORD_ATTENDANCE, False, True, None),
        (ops.GET_SEND_STATUS, True, True, None),
    ],
    ids=lambda value: getattr(value, "name", str(value)),
)
def test_the_facts_the_request_loop_relies_on(
    operation: ops.Operation, idempotent: bool, rate_limited: bool, key: str | None
) -> None:
    assert (operation.idempotent, operation.rate_limited) == (idempotent, rate_limited)
    assert operation.facts.idempotency_key == key


@pytest.mark.parametrize(
    ("method", "key", "idempotent"),
    [
        ("GET", None, True),
        ("HEAD", None, True),
        ("POST", None, False),
        ("POST", "message.sendId", True),
        ("PUT", None, False),
        ("DELETE", None, False),
    ],
)
def test_a_request_is_safe_to_repeat_when_its_method_is_safe_or_it_carries_a_key(
    method: str, key: str | None, idempotent: bool
) -> None:
    facts = OperationFacts(
        "x", method, "/x", frozenset({200}), key, rate_limited=True, scopes=("s",), api_family="legacy"
    )
    assert facts.idempotent is idempotent


# Fact sheet, section 8: each numbered operation's dated successor; the v1 send and the send-status
# lookup have none.
LINKS = [
    ("sendSingleEmail", "sendSingleEmailDated"),
    ("sendLegacySingleEmail", None),
    ("batchCreateEmails", "batchCreateEmailsDated"),
    ("recordAttendanceByEmail", "recordAttendanceByEmailDated"),
    ("getSendStatus", None),
]


@pytest.mark.parametrize(("numbered", "dated"), LINKS)
def test_numbered_and_dated_operations_are_linked_both_ways(numbered: str, dated: str | None) -> None:
    facts = operation_facts()
    assert (facts[numbered].api_family, facts[numbered].dated_successor) == ("legacy", dated)
    assert facts[numbered].legacy_twin is None
    if dated is not None:
        assert (facts[dated].api_family, facts[dated].legacy_twin) == ("dated", numbered)
        assert facts[dated].dated_successor is None


def test_the_api_versions_come_from_the_spec() -> None:
    versions = api_version_facts()
    assert versions.known == ("2026-03", "2026-09")
    assert versions.accepts("2027-03")
    assert not versions.accepts("2027-13")


def test_a_spec_whose_links_do_not_point_back_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dated operation naming the wrong twin is an error of the spec, not a silent misroute."""
    import copy

    from hubspot_email import _spec_facts

    spec = copy.deepcopy(embedded_spec())
    spec["paths"]["/crm/objects/{version}/emails/batch/create"]["post"]["x-hubspot-legacy-twin"] = (
        "sendSingleEmail"
    )
    monkeypatch.setattr(_spec_facts, "embedded_spec", lambda: spec)
    operation_facts.cache_clear()
    try:
        with pytest.raises(LookupError, match="do not name each other"):
            _spec_facts.operation_facts()
    finally:
        operation_facts.cache_clear()


def test_the_engagement_enums_the_client_checks_are_the_specs() -> None:
    assert engagement_property_enums() == {"hs_email_direction": DIRECTIONS, "hs_email_status": STATUSES}
    assert "FORWARDED_EMAIL" in DIRECTIONS
    assert "SCHEDULED" in STATUSES


def test_importing_the_package_parses_no_spec() -> None:
    """The facts are read on first use: importing hubspot_email stays cheap (a fresh interpreter)."""
    import subprocess
    import sys

    code = (
        "import hubspot_email, hubspot_email._spec_facts as facts; "
        "print(facts.embedded_spec.cache_info().currsize)"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert printed.stdout.strip() == "0"
