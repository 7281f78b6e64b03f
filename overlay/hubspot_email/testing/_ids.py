"""The ids the simulator hands out: correlation and event ids from a seed, record ids and vids in turn."""

from __future__ import annotations

import uuid
from random import Random


class Ids:
    def __init__(self, seed: int) -> None:
        self._random = Random(seed)  # noqa: S311 (reproducible ids, not security)
        self._next_object_id = 70_000_000_001
        self._next_vid = 1001

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def object_id(self) -> str:
        """The id of a new CRM object (an email engagement)."""
        issued, self._next_object_id = self._next_object_id, self._next_object_id + 1
        return str(issued)

    def vid(self) -> int:
        """The id of a new contact."""
        issued, self._next_vid = self._next_vid, self._next_vid + 1
        return issued
