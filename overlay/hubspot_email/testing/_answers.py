"""How the simulator spells its answers: JSON bodies, HubSpot's error shape, and fault markings."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ._decisions import Fault
from ._ids import Ids
from ._rate import Taken
from ._spec import FieldError
from ._wire import SimAnswer

JSON_TYPE = "application/json;charset=utf-8"


def dump(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def json_answer(status: int, body: Any) -> SimAnswer:
    return SimAnswer(status, {"content-type": JSON_TYPE}, dump(body))


def error(ids: Ids, status: int, category: str, message: str, **extra: Any) -> SimAnswer:
    """HubSpot's error body, with its correlation id also in `X-HubSpot-Correlation-Id`."""
    correlation_id = ids.uuid()
    body = {
        "status": "error",
        "message": message,
        "correlationId": correlation_id,
        "category": category,
        **extra,
    }
    answer = json_answer(status, body)
    answer.headers["x-hubspot-correlation-id"] = correlation_id
    return answer


def rate_limited(ids: Ids, refusal: Taken) -> SimAnswer:
    """HubSpot's 429: errorType RATE_LIMIT naming the policy that refused, the X-HubSpot-RateLimit-*
    headers, and Retry-After when the refusal gives one (a DAILY one does)."""
    correlation_id = ids.uuid()
    body = {
        "status": "error",
        "message": f"You have reached your {refusal.verdict.value.lower()} limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id,
        "policyName": refusal.verdict.value,
        "groupName": "hubspot-email-simulator",
    }
    headers = {"content-type": JSON_TYPE, "x-hubspot-correlation-id": correlation_id, **refusal.headers}
    if refusal.retry_after is not None:
        headers["retry-after"] = str(refusal.retry_after)
    return SimAnswer(429, headers, dump(body))


def validation_error(ids: Ids, problems: list[FieldError]) -> SimAnswer:
    first = problems[0]
    return error(
        ids,
        400,
        "VALIDATION_ERROR",
        f"Invalid input: {first.field}: {first.message}",
        errors=[
            {"message": problem.message, "in": problem.field, "code": problem.code} for problem in problems
        ],
    )


def input_error(message: str, context: dict[str, list[str]]) -> dict[str, Any]:
    """One input's error inside a batch answer (207 for batch create, 200 for attendance)."""
    return {
        "status": "error",
        "category": "VALIDATION_ERROR",
        "message": message,
        "context": context,
        "errors": [],
        "links": {},
    }


def with_headers(answer: SimAnswer, headers: dict[str, str]) -> SimAnswer:
    return replace(answer, headers={**answer.headers, **headers})


def with_fault(answer: SimAnswer, fault: Fault, headers: dict[str, str], delay: float = 0.0) -> SimAnswer:
    return replace(with_headers(answer, headers), fault=fault, delay=delay)
