from enum import StrEnum


class EmailStatus(StrEnum):
    BOUNCED = "BOUNCED"
    FAILED = "FAILED"
    SCHEDULED = "SCHEDULED"
    SENDING = "SENDING"
    SENT = "SENT"

    def __str__(self) -> str:
        return str(self.value)
