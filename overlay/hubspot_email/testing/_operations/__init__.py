"""What each operation does once a request has passed auth, the budget and validation: one module each.

`act` runs the operation named by the spec's operationId on a validated body (None for a GET). A dated
successor (`...Dated`, its `version` path parameter already checked against the spec) acts exactly as
its numbered twin: same behaviour, same records (a dated send's statusId is looked up on v3 too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hubspot_email.testing._wire import SimAnswer

from ._attendance import record_attendance
from ._batch_create import create_emails
from ._context import Context
from ._send_status import send_status
from ._single_send import send

Action = Callable[[Context, dict[str, str], Any], SimAnswer]

ACTIONS: dict[str, Action] = {
    "sendSingleEmail": lambda context, _parameters, body: send(context, "v4", body),
    "sendLegacySingleEmail": lambda context, _parameters, body: send(context, "v1", body),
    "batchCreateEmails": lambda context, _parameters, body: create_emails(context, body),
    "recordAttendanceByEmail": lambda context, parameters, body: record_attendance(
        context, parameters["objectId"], parameters["subscriberState"], body
    ),
    "getSendStatus": lambda context, parameters, _body: send_status(context, parameters["statusId"]),
    "sendSingleEmailDated": lambda context, _parameters, body: send(context, "v4", body),
    "batchCreateEmailsDated": lambda context, _parameters, body: create_emails(context, body),
    "recordAttendanceByEmailDated": lambda context, parameters, body: record_attendance(
        context, parameters["objectId"], parameters["subscriberState"], body
    ),
}


def act(context: Context, operation: str, parameters: dict[str, str], body: Any) -> SimAnswer:
    return ACTIONS[operation](context, parameters, body)


__all__ = ["ACTIONS", "Context", "act"]
