"""Load the recorded exchanges in `tests/recordings/` (format: `tests/recordings/README.md`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema

RECORDINGS = Path(__file__).resolve().parent.parent / "recordings"
FORMAT_SCHEMA = RECORDINGS / "recording.schema.json"


@dataclass(frozen=True)
class Recording:
    path: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.relative_to(RECORDINGS).as_posix()

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


def load_recordings(folder: Path = RECORDINGS) -> list[Recording]:
    paths = sorted(folder.rglob("*.json"))
    return [
        Recording(path, json.loads(path.read_text(encoding="utf-8")))
        for path in paths
        if path.name != FORMAT_SCHEMA.name
    ]
