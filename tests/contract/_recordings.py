"""Load the recorded exchanges in `tests/recordings/` (format: `tests/recordings/README.md`).

A recording of a numbered operation is also one of its dated successor (`as_dated`): HubSpot's dated
paths take the same request and give the same answers (fact sheet, section 8), so the dated operations
are checked against the same recorded bodies, re-addressed, rather than against copied files.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema

RECORDINGS = Path(__file__).resolve().parent.parent / "recordings"
FORMAT_SCHEMA = RECORDINGS / "recording.schema.json"


# Fact sheet, section 8: each numbered operation's dated successor, and the start of the numbered path
# with the start of the dated one (`{version}` in it) that replaces it.
DATED_SUCCESSORS: dict[str, tuple[str, str, str]] = {
    "sendSingleEmail": (
        "sendSingleEmailDated",
        "/marketing/v4/email/single-send",
        "/marketing/email-campaigns/{version}/single-send",
    ),
    "batchCreateEmails": ("batchCreateEmailsDated", "/crm/v3/objects/", "/crm/objects/{version}/"),
    "recordAttendanceByEmail": (
        "recordAttendanceByEmailDated",
        "/marketing/v3/marketing-events/",
        "/marketing/marketing-events/{version}/",
    ),
}


@dataclass(frozen=True)
class Recording:
    path: Path
    data: dict[str, Any]
    # The dated operation a recording of its numbered twin was re-addressed to (`as_dated`), or None.
    readdressed_as: str | None = None

    @property
    def name(self) -> str:
        name = self.path.relative_to(RECORDINGS).as_posix()
        return name if self.readdressed_as is None else f"{name} as {self.readdressed_as}"

    @property
    def operation(self) -> str:
        return str(self.data["operation"])

    @property
    def status(self) -> int:
        return int(self.data["response"]["status"])

    @property
    def strict_enums(self) -> bool:
        return bool(self.data.get("strict_enums", True))

    @property
    def request_conforms(self) -> bool:
        return bool(self.data.get("request_conforms", True))

    def response_content(self) -> bytes:
        response = self.data["response"]
        if "text" in response:
            return str(response["text"]).encode("utf-8")
        if "body" in response:
            return json.dumps(response["body"]).encode("utf-8")
        return b""

    def httpx_response(self) -> httpx.Response:
        """The recorded response as httpx would have received it (with its request attached)."""
        request = self.data["request"]
        sent = httpx.Request(
            request["method"],
            "https://api.hubapi.com" + request["path"],
            headers=request["headers"],
            json=request.get("body"),
        )
        return httpx.Response(
            self.status,
            headers=self.data["response"]["headers"],
            content=self.response_content(),
            request=sent,
        )


@cache
def _format_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(FORMAT_SCHEMA.read_text(encoding="utf-8")))


def check_format(data: Any) -> None:
    """Raise jsonschema.ValidationError when `data` is not a recording in the documented format."""
    _format_validator().validate(data)


def as_dated(recording: Recording, version: str) -> Recording:
    """`recording` as an exchange with the dated successor of its operation, at `version`."""
    operation, numbered, dated = DATED_SUCCESSORS[recording.operation]
    data = copy.deepcopy(recording.data)
    path = str(data["request"]["path"])
    if not path.startswith(numbered):
        raise ValueError(f"{recording.name}: {path} is not a path of {recording.operation}")
    data["operation"] = operation
    data["request"]["path"] = dated.format(version=version) + path.removeprefix(numbered)
    return Recording(recording.path, data, readdressed_as=operation)


def load_recordings(folder: Path = RECORDINGS) -> list[Recording]:
    paths = sorted(folder.rglob("*.json"))
    return [
        Recording(path, json.loads(path.read_text(encoding="utf-8")))
        for path in paths
        if path.name != FORMAT_SCHEMA.name
    ]
