from enum import StrEnum


class RateLimitPolicy(StrEnum):
    DAILY = "DAILY"
    SECONDLY = "SECONDLY"
    TEN_SECONDLY_ROLLING = "TEN_SECONDLY_ROLLING"

    def __str__(self) -> str:
        return str(self.value)
