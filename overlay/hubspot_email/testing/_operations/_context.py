"""What an operation is handed: the simulator's options, its record, its ids and its clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hubspot_email.testing._ids import Ids
from hubspot_email.testing._options import Options
from hubspot_email.testing._records import Record


@dataclass(frozen=True)
class Context:
    options: Options
    record: Record
    ids: Ids
    now: Callable[[], datetime]  # the simulator's clock, read as an aware datetime
