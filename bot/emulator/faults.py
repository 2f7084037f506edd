"""Faults injected into the next calls of a method or to a chat, for failure-path tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal["http_error", "retry_after", "delay", "drop"]


@dataclass
class Fault:
    """One rule. `deliver` makes delay/drop run the call first: the ambiguous timeout case."""

    kind: FaultKind
    method: str | None = None
    chat_id: int | str | None = None
    times: int = 1
    status: int = 502
    description: str = "Bad Gateway"
    retry_after: int = 5
    delay: float = 0.0
    deliver: bool = False

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Fault:
        allowed = set(cls.__dataclass_fields__)
        unknown = set(body) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        if body.get("kind") not in ("http_error", "retry_after", "delay", "drop"):
            raise ValueError("kind must be http_error, retry_after, delay or drop")
        return cls(**body)


class FaultPlan:
    """Rules are consumed in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError("times must be at least 1")
        self._faults.append(fault)

    def clear(self) -> None:
        self._faults.clear()

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self._faults:
            if fault.matches(method, params):
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None

    @property
    def pending(self) -> list[Fault]:
        return list(self._faults)
