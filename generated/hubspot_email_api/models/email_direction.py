from enum import StrEnum


class EmailDirection(StrEnum):
    EMAIL = "EMAIL"
    FORWARDED_EMAIL = "FORWARDED_EMAIL"
    INCOMING_EMAIL = "INCOMING_EMAIL"

    def __str__(self) -> str:
        return str(self.value)
