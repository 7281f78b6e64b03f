"""The simulator's core: one request in, one answer out, with its state behind a lock.

Transports (`_transport.py`) and the ASGI app (`_asgi.py`) only adapt this to httpx and to servers.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from random import Random
from typing import TYPE_CHECKING, Any

from . import _decisions as decide
from ._decisions import Fault, Faults, RateLimit, Verdict
from ._records import AttendanceRecord, Contact, CreatedEmail, Delivery, Exchange
from ._spec import FieldError, OperationSpec, body_errors, match_operation, parameter_errors
from ._transport import SimulatorTransport
from ._wire import SimAnswer, SimRequest

if TYPE_CHECKING:
    from hubspot_email._client import AsyncClient, Client

SIMULATOR_TOKEN = "pat-simulator-token"  # noqa: S105 (the simulator's default test token, not a secret)
# https: the token is sent as to HubSpot, though in process nothing leaves the machine.
SIMULATOR_BASE_URL = "https://hubspot-simulator.invalid"
ALL_SCOPES = frozenset(
    {
        "marketing-email",
        "transactional-email",
        "crm.objects.contacts.write",
        "crm.objects.marketing_events.write",
    }
)
_JSON = "application/json;charset=utf-8"


@dataclass
class _State:
    deliveries: list[Delivery] = field(default_factory=list)
    sent_send_ids: set[str] = field(default_factory=set)
    emails: list[CreatedEmail] = field(default_factory=list)
    contacts: dict[str, Contact] = field(default_factory=dict)
    attendance: list[AttendanceRecord] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    window: deque[float] = field(default_factory=deque)
    used_today: int = 0
    next_object_id: int = 70_000_000_001
    next_vid: int = 1001


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Simulator:
    """A faithful fake of HubSpot's four email endpoints, in process or on loopback.

    >>> sim = Simulator(bounced={"gone@example.com"})
    >>> with sim.client() as client:
    ...     client.send_email(email_id=1, to="ada@example.com").send_result
    <SendResult.SENT: 'SENT'>

    tokens: token -> scopes it holds. None (the default) accepts any bearer token with every scope.
    email_ids: the published email ids; None publishes every id. Others give MISSING_CONTENT.
    events: the marketing event ids; None accepts any. Others give 404.
    record_ids: the CRM records engagements may be associated with (contacts, companies, deals,
    tickets); None takes every numeric id to exist. Others fail that input (a 207). Contacts created
    by attendance join them.
    bounced, unsubscribed, blocked: recipient lists (`blocked` may also hold domains).
    rate_limit: the app's rolling and daily budget (single sends are exempt, as on HubSpot).
    faults: seeded fault injection. batch_status: 201 as documented, or 200 as HubSpot has answered.
    clock: a monotonic clock in seconds, for the rate window (tests may pass a fake one).
    """

    def __init__(
        self,
        *,
        tokens: Mapping[str, Iterable[str]] | None = None,
        email_ids: Iterable[int] | None = None,
        events: Iterable[str] | None = None,
        record_ids: Iterable[str | int] | None = None,
        bounced: Iterable[str] = (),
        unsubscribed: Iterable[str] = (),
        blocked: Iterable[str] = (),
        rate_limit: RateLimit | None = None,
        faults: Faults | None = None,
        batch_status: int = 201,
        clock: Callable[[], float] = time.monotonic,
        seed: int = 0,
    ) -> None:
        if batch_status not in (200, 201):
            raise ValueError("batch_status: HubSpot answers a fully created batch with 201 (or 200)")
        self._tokens = (
            None if tokens is None else {token: frozenset(scopes) for token, scopes in tokens.items()}
        )
        self.email_ids = None if email_ids is None else frozenset(email_ids)
        self.events = None if events is None else frozenset(events)
        self.record_ids = (
            None if record_ids is None else frozenset(str(record_id) for record_id in record_ids)
        )
        self.bounced = frozenset(address.lower() for address in bounced)
        self.unsubscribed = frozenset(address.lower() for address in unsubscribed)
        self.blocked = frozenset(entry.lower().lstrip("@") for entry in blocked)
        self.rate_limit = rate_limit or RateLimit()
        self.faults = faults or Faults()
        self.batch_status = batch_status
        self._clock = clock
        self._seed = seed
        self._lock = threading.Lock()
        self.reset()

    def __repr__(self) -> str:
        # Tokens are test tokens, but the repr still never shows them.
        return (
            f"Simulator(deliveries={len(self._state.deliveries)}, emails={len(self._state.emails)}, "
            f"attendance={len(self._state.attendance)}, rate_limit={self.rate_limit}, faults={self.faults})"
        )

    def reset(self) -> None:
        """Forget everything delivered and created, and restart the fault and id sequences."""
        with self._lock:
            self._state = _State()
            self._fault_draws: Random = decide.fault_rng(self.faults)
            self._ids = Random(self._seed)  # noqa: S311 (reproducible ids, not security)

    # What happened, for assertions. Copies: callers can't change the simulator's state.
    @property
    def deliveries(self) -> list[Delivery]:
        with self._lock:
            return list(self._state.deliveries)

    @property
    def emails(self) -> list[CreatedEmail]:
        with self._lock:
            return list(self._state.emails)

    @property
    def contacts(self) -> dict[str, Contact]:
        with self._lock:
            return dict(self._state.contacts)

    @property
    def attendance(self) -> list[AttendanceRecord]:
        with self._lock:
            return list(self._state.attendance)

    @property
    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return list(self._state.exchanges)

    def deliveries_to(self, address: str) -> list[Delivery]:
        return [delivery for delivery in self.deliveries if delivery.to.lower() == address.lower()]

    # Ways to reach it.
    @property
    def transport(self) -> SimulatorTransport:
        """An httpx transport (sync and async) that answers in process, with no socket."""
        return SimulatorTransport(self)

    def client(self, **options: Any) -> Client:
        """A `hubspot_email.Client` wired to this simulator in process."""
        from hubspot_email._client import Client

        options.setdefault("access_token", SIMULATOR_TOKEN)
        options.setdefault("base_url", SIMULATOR_BASE_URL)
        return Client(transport=self.transport, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        from hubspot_email._client import AsyncClient

        options.setdefault("access_token", SIMULATOR_TOKEN)
        options.setdefault("base_url", SIMULATOR_BASE_URL)
        return AsyncClient(transport=self.transport, **options)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """The ASGI app: `uvicorn.run(Simulator())`, or any ASGI server or test client."""
        from ._asgi import serve_asgi

        await serve_asgi(self, scope, receive, send)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> AbstractContextManager[str]:
        """A context manager that serves the simulator on loopback with uvicorn and yields its base URL.

        uvicorn is imported only here: in-process use needs no server.
        """
        from ._asgi import serve_in_thread

        return serve_in_thread(self, host, port)

    # The core.
    def handle(self, request: SimRequest) -> SimAnswer:
        with self._lock:
            answer, operation, processed = self._answer(request)
            if answer.fault is not Fault.RESET and "x-hubspot-correlation-id" not in answer.headers:
                answer.headers["x-hubspot-correlation-id"] = self._uuid()
            self._state.exchanges.append(
                Exchange(
                    operation=operation,
                    path=request.path,
                    status=None
                    if answer.fault in (Fault.RESET, Fault.TIMEOUT_AFTER_ACTING)
                    else answer.status,
                    fault=answer.fault.value if answer.fault else None,
                    processed=processed,
                )
            )
            return answer

    def _answer(self, request: SimRequest) -> tuple[SimAnswer, str | None, bool]:
        matched = match_operation(request.path)
        if matched is None or request.method != "POST":
            return (
                self._error(404, "NOT_FOUND", f"No such endpoint: {request.method} {request.path}"),
                None,
                False,
            )
        operation, parameters = matched
        name = operation.operation_id
        refused = self._check_auth(operation, request.headers)
        if refused:
            return refused, name, False
        extra_headers: dict[str, str] = {}
        if operation.rate_limited:
            limited, extra_headers = self._take_budget()
            if limited:
                return limited, name, False
        fault = decide.choose_fault(self.faults, self._fault_draws.random())
        if fault is Fault.SERVER_ERROR:
            status = self.faults.server_error_statuses[
                self._fault_draws.randrange(len(self.faults.server_error_statuses))
            ]
            answer = self._error(status, "INTERNAL_ERROR", "Internal error (injected by the simulator).")
            return _with_fault(answer, fault, extra_headers), name, False
        if fault is Fault.RESET:
            return SimAnswer(0, {}, b"", fault=fault), name, False
        body, problem = self._read_body(request, operation, parameters)
        if problem:
            return _with_headers(problem, extra_headers), name, False
        answer = self._act(name, parameters, body)
        answer = _with_headers(answer, extra_headers)
        if fault is Fault.SLOW:
            return _with_fault(answer, fault, {}, delay=self.faults.slow_seconds), name, True
        if fault is Fault.MALFORMED:
            broken = SimAnswer(
                200, {"content-type": _JSON, **extra_headers}, b'{"status": "COMPLETE", "resul'
            )
            return _with_fault(broken, fault, {}), name, True
        if fault is Fault.TIMEOUT_AFTER_ACTING:
            return _with_fault(answer, fault, {}, delay=self.faults.hang_seconds), name, True
        if fault is Fault.BAD_ENCODING:
            return _with_fault(answer, fault, {"content-encoding": "gzip"}), name, True
        return answer, name, True

    def _check_auth(self, operation: OperationSpec, headers: Mapping[str, str]) -> SimAnswer | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return self._error(
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials not found: send a private-app or OAuth access token.",
            )
        scopes = ALL_SCOPES if self._tokens is None else self._tokens.get(token.strip())
        if scopes is None:
            return self._error(
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials are not valid (unknown or expired token).",
            )
        if not scopes.intersection(operation.scopes):
            return self._error(
                403,
                "MISSING_SCOPES",
                "This app hasn't been granted all required scopes to make this call.",
                errors=[
                    {
                        "message": "One or more of the following scopes are required.",
                        "context": {"missingScopes": list(operation.scopes)},
                    }
                ],
                links={"scopes": "https://developers.hubspot.com/scopes"},
            )
        return None

    def _take_budget(self) -> tuple[SimAnswer | None, dict[str, str]]:
        state, limit = self._state, self.rate_limit
        now = self._clock()
        verdict = decide.rate_verdict(state.window, state.used_today, now, limit)
        if verdict is Verdict.ALLOWED:
            state.window.append(now)
            state.used_today += 1
            return None, decide.rate_headers(limit, len(state.window), state.used_today)
        headers = decide.rate_headers(limit, len(state.window), state.used_today)
        correlation_id = self._uuid()
        body = {
            "status": "error",
            "message": f"You have reached your {verdict.value.lower()} limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id,
            "policyName": verdict.value,
            "groupName": "hubspot-email-simulator",
        }
        answer_headers = {"content-type": _JSON, "x-hubspot-correlation-id": correlation_id, **headers}
        return SimAnswer(429, answer_headers, _dump(body)), headers

    def _read_body(
        self, request: SimRequest, operation: OperationSpec, parameters: dict[str, str]
    ) -> tuple[Any, SimAnswer | None]:
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            return None, self._error(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.")
        try:
            body = json.loads(request.content)
        except ValueError as error:
            return None, self._error(400, "VALIDATION_ERROR", f"Invalid input JSON: {error}")
        problems = parameter_errors(operation, parameters) + body_errors(operation, body)
        if problems:
            return None, self._validation_error(problems)
        return body, None

    def _validation_error(self, problems: list[FieldError]) -> SimAnswer:
        first = problems[0]
        return self._error(
            400,
            "VALIDATION_ERROR",
            f"Invalid input: {first.field}: {first.message}",
            errors=[
                {"message": problem.message, "in": problem.field, "code": problem.code}
                for problem in problems
            ],
        )

    def _act(self, operation: str, parameters: dict[str, str], body: Any) -> SimAnswer:
        if operation == "sendSingleEmail":
            return self._send("v4", body)
        if operation == "sendLegacySingleEmail":
            return self._send("v1", body)
        if operation == "batchCreateEmails":
            return self._create_emails(body)
        return self._record_attendance(parameters["objectId"], parameters["subscriberState"], body)

    def _send(self, api: str, body: dict[str, Any]) -> SimAnswer:
        message = body["message"]
        send_id = message.get("sendId")
        requested_at = _now_iso()
        if send_id is not None and send_id in self._state.sent_send_ids:
            if api == "v1":
                return self._error(409, "CONFLICT", f"An email with sendId {send_id} was already sent.")
            return _json(200, self._v4_body("IDEMPOTENT_IGNORE", requested_at, event_id=None))
        result = decide.recipient_result(
            api=api,
            to=message["to"],
            sender=message.get("from"),
            email_id=body["emailId"],
            published_email_ids=self.email_ids,
            bounced=self.bounced,
            unsubscribed=self.unsubscribed,
            blocked=self.blocked,
        )
        event_id = None
        if result == "SENT":
            event_id = self._uuid()
            if send_id is not None:
                self._state.sent_send_ids.add(send_id)
            self._state.deliveries.append(_delivery(api, body, event_id))
        if api == "v4":
            return _json(200, self._v4_body(result, requested_at, event_id))
        legacy: dict[str, Any] = {"sendResult": result, "message": _legacy_message(result)}
        if event_id is not None:
            legacy["eventId"] = {"id": event_id, "created": int(time.time() * 1000)}
        return _json(200, legacy)

    def _v4_body(self, result: str, requested_at: str, event_id: str | None) -> dict[str, Any]:
        now = _now_iso()
        body: dict[str, Any] = {
            "status": "COMPLETE",
            "statusId": self._uuid(),
            "sendResult": result,
            "requestedAt": requested_at,
            "startedAt": now,
            "completedAt": now,
        }
        if event_id is not None:
            body["eventId"] = {"id": event_id, "created": now}
        return body

    def _create_emails(self, body: dict[str, Any]) -> SimAnswer:
        started_at = _now_iso()
        results: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        # Contacts created by attendance exist as CRM records too.
        known = None
        if self.record_ids is not None:
            known = self.record_ids | {str(contact.vid) for contact in self._state.contacts.values()}
        for item in body["inputs"]:
            trace_id = item.get("objectWriteTraceId")
            problems = decide.engagement_problems(item["properties"], item["associations"], known)
            if problems:
                errors.append(
                    self._input_error(
                        "; ".join(problems), {"objectWriteTraceId": [trace_id]} if trace_id else {}
                    )
                )
                continue
            record_id = str(self._state.next_object_id)
            self._state.next_object_id += 1
            created_at = _now_iso()
            properties = {
                **item["properties"],
                "hs_object_id": record_id,
                "hs_createdate": created_at,
                "hs_lastmodifieddate": created_at,
            }
            self._state.emails.append(
                CreatedEmail(record_id, dict(item["properties"]), tuple(item["associations"]), trace_id)
            )
            result: dict[str, Any] = {
                "id": record_id,
                "properties": properties,
                "createdAt": created_at,
                "updatedAt": created_at,
                "archived": False,
            }
            if trace_id is not None:
                result["objectWriteTraceId"] = trace_id
            results.append(result)
        response: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": started_at,
            "completedAt": _now_iso(),
        }
        if errors:
            response.update(numErrors=len(errors), errors=errors)
            return _json(207, response)
        return _json(self.batch_status, response)

    def _record_attendance(self, event_id: str, state: str, body: dict[str, Any]) -> SimAnswer:
        if self.events is not None and event_id not in self.events:
            return self._error(404, "OBJECT_NOT_FOUND", f"Marketing event {event_id} was not found.")
        started_at = _now_iso()
        results: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for item in body["inputs"]:
            email = item["email"]
            problems = decide.attendee_problems(state, email, item["properties"])
            if problems:
                errors.append(self._input_error("; ".join(problems), {"emails": [email]}))
                continue
            contact = self._state.contacts.get(email.lower())
            if contact is None:
                # contactProperties apply only to contacts created here, as on HubSpot.
                contact = Contact(self._state.next_vid, email, dict(item["contactProperties"]))
                self._state.next_vid += 1
                self._state.contacts[email.lower()] = contact
            self._state.attendance.append(
                AttendanceRecord(
                    event_id, state, email, contact.vid, item["interactionDateTime"], dict(item["properties"])
                )
            )
            results.append({"email": email, "vid": contact.vid})
        response: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": started_at,
            "completedAt": _now_iso(),
        }
        if errors:
            response.update(numErrors=len(errors), errors=errors)
        return _json(200, response)

    def _input_error(self, message: str, context: dict[str, list[str]]) -> dict[str, Any]:
        return {
            "status": "error",
            "category": "VALIDATION_ERROR",
            "message": message,
            "context": context,
            "errors": [],
            "links": {},
        }

    def _error(self, status: int, category: str, message: str, **extra: Any) -> SimAnswer:
        correlation_id = self._uuid()
        body = {
            "status": "error",
            "message": message,
            "correlationId": correlation_id,
            "category": category,
            **extra,
        }
        answer = _json(status, body)
        answer.headers["x-hubspot-correlation-id"] = correlation_id
        return answer

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))


def _delivery(api: str, body: dict[str, Any], event_id: str) -> Delivery:
    message = body["message"]
    reply_to = message.get("replyTo", [])
    if api == "v1":
        reply_to = ([reply_to] if reply_to else []) + list(message.get("replyToList", []))
        contact_properties = {pair["name"]: pair["value"] for pair in body.get("contactProperties", [])}
        custom_properties = {pair["name"]: pair["value"] for pair in body.get("customProperties", [])}
    else:
        contact_properties = dict(body.get("contactProperties", {}))
        custom_properties = dict(body.get("customProperties", {}))
    return Delivery(
        api=api,
        email_id=body["emailId"],
        to=message["to"],
        send_id=message.get("sendId"),
        event_id=event_id,
        from_=message.get("from"),
        reply_to=tuple(reply_to),
        cc=tuple(message.get("cc", [])),
        bcc=tuple(message.get("bcc", [])),
        contact_properties=contact_properties,
        custom_properties=custom_properties,
    )


def _legacy_message(result: str) -> str:
    if result == "SENT":
        return "The email was sent."
    return f"The email was not sent: {result}."


def _dump(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def _json(status: int, body: Any) -> SimAnswer:
    return SimAnswer(status, {"content-type": _JSON}, _dump(body))


def _with_headers(answer: SimAnswer, headers: dict[str, str]) -> SimAnswer:
    return replace(answer, headers={**answer.headers, **headers})


def _with_fault(answer: SimAnswer, fault: Fault, headers: dict[str, str], delay: float = 0.0) -> SimAnswer:
    return replace(_with_headers(answer, headers), fault=fault, delay=delay)
