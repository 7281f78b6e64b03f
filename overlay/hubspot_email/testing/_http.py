"""The simulator as an HTTP service: one request in, one answer out, its state behind one lock.

In order: the control endpoints (`GET /_simulator/record`, `POST /_simulator/reset`), routing on the
raw path (404, or 405 with `Allow`), the bearer token and its scopes, the app budget, an injected
fault, the path parameters and the body (if the operation takes one) read and validated against the
spec; then the operation acts (`_operations`). The carriers (`_transport.py` in process, `_asgi.py`
on a socket) only move requests and answers.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import _answers as answers
from . import _decisions as decide
from ._clock import Clock, read
from ._decisions import Fault, Verdict
from ._ids import Ids
from ._operations import Context, act
from ._options import ALL_SCOPES, Options
from ._rate import Budget
from ._records import Exchange, Record
from ._spec import OperationSpec, body_errors, match_path, parameter_errors
from ._wire import SimAnswer, SimRequest

RECORD_PATH = "/_simulator/record"
RESET_PATH = "/_simulator/reset"
CONTROL_METHODS = {RECORD_PATH: "GET", RESET_PATH: "POST"}


class App:
    """The simulator's state (record, budget, ids, fault draws) and the handling of one request."""

    def __init__(self, options: Options, clock: Clock, max_records: int | None) -> None:
        self.options = options
        self.lock = threading.Lock()
        self._clock = clock
        read(clock)  # a clock that cannot be read fails here, not on the first request
        self._max_records = max_records
        self.reset()

    def reset(self) -> None:
        """Forget everything delivered and created, and restart the budget, fault and id sequences."""
        with self.lock:
            self._reset()

    def _reset(self) -> None:
        self.record = Record(self._max_records)
        self.budget = Budget()
        self.ids = Ids(self.options.seed)
        self.fault_draws = decide.fault_rng(self.options.faults)
        self.context = Context(self.options, self.record, self.ids, self.now)

    def now(self) -> datetime:
        return read(self._clock)

    def handle(self, request: SimRequest) -> SimAnswer:
        with self.lock:
            if request.path in CONTROL_METHODS:
                # Not HubSpot's: no token, no budget, no faults, and not itself recorded.
                return self._control(request)
            answer, operation, processed = self._answer(request)
            if answer.fault is not Fault.RESET and "x-hubspot-correlation-id" not in answer.headers:
                answer.headers["x-hubspot-correlation-id"] = self.ids.uuid()
            self.record.add_exchange(
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

    def _control(self, request: SimRequest) -> SimAnswer:
        allowed = CONTROL_METHODS[request.path]
        if request.method != allowed:
            return self._method_not_allowed(request, [allowed])
        if request.path == RESET_PATH:
            self._reset()
            return answers.json_answer(200, {"status": "reset"})
        return answers.json_answer(200, self.record.to_json())

    def _method_not_allowed(self, request: SimRequest, allowed: list[str]) -> SimAnswer:
        allow = ", ".join(sorted(set(allowed)))
        answer = answers.error(
            self.ids,
            405,
            "METHOD_NOT_ALLOWED",
            f"Method {request.method} is not allowed on {request.path} (allowed: {allow}).",
        )
        return answers.with_headers(answer, {"allow": allow})

    def _answer(self, request: SimRequest) -> tuple[SimAnswer, str | None, bool]:
        matches = match_path(request.path)
        if not matches:
            answer = answers.error(
                self.ids, 404, "NOT_FOUND", f"No such endpoint: {request.method} {request.path}"
            )
            return answer, None, False
        chosen = [
            (operation, parameters) for operation, parameters in matches if operation.method == request.method
        ]
        if not chosen:
            return (
                self._method_not_allowed(request, [operation.method for operation, _ in matches]),
                None,
                False,
            )
        operation, parameters = chosen[0]
        name = operation.operation_id
        refused = self._check_auth(operation, request.headers)
        if refused:
            return refused, name, False
        extra_headers: dict[str, str] = {}
        if operation.rate_limited:
            limited, extra_headers = self._take_budget()
            if limited:
                return limited, name, False
        faults = self.options.faults
        fault = decide.choose_fault(faults, self.fault_draws.random())
        if fault is Fault.SERVER_ERROR:
            status = faults.server_error_statuses[
                self.fault_draws.randrange(len(faults.server_error_statuses))
            ]
            answer = answers.error(
                self.ids, status, "INTERNAL_ERROR", "Internal error (injected by the simulator)."
            )
            return answers.with_fault(answer, fault, extra_headers), name, False
        if fault is Fault.RESET:
            return SimAnswer(0, {}, b"", fault=fault), name, False
        if fault is Fault.RATE_LIMITED:
            spent = self.budget.spent_window(self.options.rate_limit, self.now(), self.options.timezone)
            if faults.rate_limited_retry_after is not None:
                spent = dataclasses.replace(spent, retry_after=faults.rate_limited_retry_after)
            return answers.with_fault(answers.rate_limited(self.ids, spent), fault, {}), name, False
        body, problem = self._read_body(request, operation, parameters)
        if problem:
            return answers.with_headers(problem, extra_headers), name, False
        answer = answers.with_headers(act(self.context, name, parameters, body), extra_headers)
        if fault is Fault.SLOW:
            return answers.with_fault(answer, fault, {}, delay=faults.slow_seconds), name, True
        if fault is Fault.MALFORMED:
            broken = SimAnswer(
                200, {"content-type": answers.JSON_TYPE, **extra_headers}, b'{"status": "COMPLETE", "resul'
            )
            return answers.with_fault(broken, fault, {}), name, True
        if fault is Fault.TIMEOUT_AFTER_ACTING:
            return answers.with_fault(answer, fault, {}, delay=faults.hang_seconds), name, True
        if fault is Fault.BAD_ENCODING:
            return answers.with_fault(answer, fault, {"content-encoding": "gzip"}), name, True
        return answer, name, True

    def _check_auth(self, operation: OperationSpec, headers: Mapping[str, str]) -> SimAnswer | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return answers.error(
                self.ids,
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials not found: send a private-app or OAuth access token.",
            )
        tokens = self.options.tokens
        scopes = ALL_SCOPES if tokens is None else tokens.get(token.strip())
        if scopes is None:
            return answers.error(
                self.ids,
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials are not valid (unknown or expired token).",
            )
        if not scopes.intersection(operation.scopes):
            return answers.error(
                self.ids,
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
        taken = self.budget.take(self.options.rate_limit, self.now(), self.options.timezone)
        if taken.verdict is Verdict.ALLOWED:
            return None, taken.headers
        return answers.rate_limited(self.ids, taken), taken.headers

    def _read_body(
        self, request: SimRequest, operation: OperationSpec, parameters: dict[str, str]
    ) -> tuple[Any, SimAnswer | None]:
        body: Any = None
        if operation.body_validator is not None:  # a GET takes no body: whatever came is ignored
            content_type = request.headers.get("content-type", "")
            if content_type.split(";")[0].strip().lower() != "application/json":
                return None, answers.error(
                    self.ids, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json."
                )
            try:
                body = json.loads(request.content)
            except ValueError as error:
                return None, answers.error(self.ids, 400, "VALIDATION_ERROR", f"Invalid input JSON: {error}")
        problems = parameter_errors(operation, parameters) + body_errors(operation, body)
        if problems:
            return None, answers.validation_error(self.ids, problems)
        return body, None
