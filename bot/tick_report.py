"""What one tick did, for its log line and for tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TickReport:
    sent: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    failed: int = 0
    deactivated: list[str] = field(default_factory=list)

    def count_sent(self, kind: str) -> None:
        self.sent[str(kind)] = self.sent.get(str(kind), 0) + 1

    def busy(self) -> bool:
        return bool(self.sent or self.skipped or self.failed or self.deactivated)
