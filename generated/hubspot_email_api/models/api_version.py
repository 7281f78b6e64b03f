from enum import StrEnum


class ApiVersion(StrEnum):
    V2026_03 = "2026-03"
    V2026_09 = "2026-09"

    def __str__(self) -> str:
        return str(self.value)
