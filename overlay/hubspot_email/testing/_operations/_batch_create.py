"""Batch create of email engagements: ids for the good inputs, per-input errors (207) for the others."""

from __future__ import annotations

from typing import Any

from hubspot_email.testing import _answers as answers
from hubspot_email.testing import _decisions as decide
from hubspot_email.testing._clock import iso
from hubspot_email.testing._records import CreatedEmail
from hubspot_email.testing._wire import SimAnswer

from ._context import Context


def create_emails(context: Context, body: dict[str, Any]) -> SimAnswer:
    options, record = context.options, context.record
    started_at = iso(context.now())
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    # Contacts created by attendance exist as CRM records too.
    known = None
    if options.record_ids is not None:
        known = options.record_ids | {str(contact.vid) for contact in record.contacts.values()}
    for item in body["inputs"]:
        trace_id = item.get("objectWriteTraceId")
        problems = decide.engagement_problems(item["properties"], item["associations"], known)
        if problems:
            errors.append(
                answers.input_error(
                    "; ".join(problems), {"objectWriteTraceId": [trace_id]} if trace_id else {}
                )
            )
            continue
        record_id = context.ids.object_id()
        created_at = iso(context.now())
        properties = {
            **item["properties"],
            "hs_object_id": record_id,
            "hs_createdate": created_at,
            "hs_lastmodifieddate": created_at,
        }
        record.add_email(
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
        "completedAt": iso(context.now()),
    }
    if errors:
        response.update(numErrors=len(errors), errors=errors)
        return answers.json_answer(207, response)
    return answers.json_answer(options.batch_status, response)
