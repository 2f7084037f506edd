"""Readers for the deployment files, so tests can check them without docker or systemd.

No YAML library is installed, so `parse_yaml` reads the block subset compose.yaml is written
in (mappings, sequences of scalars, one-line lists of quoted strings, plain or quoted text)
and refuses the rest (anchors, multi-line text, flow mappings) instead of guessing. Scalars
stay text.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass

Yaml = dict[str, "Yaml"] | list["Yaml"] | str | None


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword in capitals and the rest of its line."""

    keyword: str
    rest: str

    def exec_form(self) -> list[str]:
        """The JSON array of CMD, ENTRYPOINT, HEALTHCHECK … CMD or VOLUME."""
        text = self.rest.split(" CMD ", 1)[-1] if self.keyword == "HEALTHCHECK" else self.rest
        value = json.loads(text)
        assert isinstance(value, list) and all(isinstance(part, str) for part in value)
        return value

    def words(self) -> list[str]:
        return shlex.split(self.rest)


def dockerfile_stages(text: str) -> list[list[Instruction]]:
    """The instructions of each build stage, each stage starting with its FROM."""
    stages: list[list[Instruction]] = []
    logical = re.sub(r"\\\n", " ", "\n".join(_uncommented(text)))
    for line in logical.splitlines():
        if not line.strip():
            continue
        keyword, _, rest = line.strip().partition(" ")
        instruction = Instruction(keyword.upper(), " ".join(rest.split()))
        if instruction.keyword == "FROM":
            stages.append([])
        assert stages, f"{instruction.keyword} before the first FROM"
        stages[-1].append(instruction)
    return stages


def _uncommented(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def parse_yaml(text: str) -> Yaml:
    """The document's value; AssertionError on anything outside the subset described above."""
    lines = [_indented(line) for line in text.splitlines()]
    rows = [(indent, body) for indent, body in lines if body]
    if not rows:
        return None
    value, end = _block(rows, 0, rows[0][0])
    assert end == len(rows), f"unexpected indentation at {rows[end][1]!r}"
    return value


def _indented(line: str) -> tuple[int, str]:
    assert "\t" not in line, "tabs are not YAML indentation"
    body = _without_comment(line).rstrip()
    return len(body) - len(body.lstrip(" ")), body.strip()


def _without_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] == " "):
            return line[:index]
    return line


def _block(rows: list[tuple[int, str]], start: int, indent: int) -> tuple[Yaml, int]:
    if rows[start][1].startswith("- ") or rows[start][1] == "-":
        return _sequence(rows, start, indent)
    return _mapping(rows, start, indent)


def _sequence(rows: list[tuple[int, str]], start: int, indent: int) -> tuple[Yaml, int]:
    items: list[Yaml] = []
    index = start
    while index < len(rows) and rows[index][0] == indent:
        body = rows[index][1]
        assert body.startswith("- "), f"not a sequence item: {body!r}"
        item = body[2:].strip()
        assert not re.match(r"[\w.-]+:( |$)", item), f"mappings in sequences: {item!r}"
        items.append(_scalar(item))
        index += 1
    return items, index


def _mapping(rows: list[tuple[int, str]], start: int, indent: int) -> tuple[Yaml, int]:
    mapping: dict[str, Yaml] = {}
    index = start
    while index < len(rows) and rows[index][0] == indent:
        found = re.fullmatch(r"([\w.-]+):(?: (.*))?", rows[index][1])
        assert found, f"not a mapping entry: {rows[index][1]!r}"
        key, rest = found.group(1), (found.group(2) or "").strip()
        assert key not in mapping, f"duplicate key {key}"
        index += 1
        if rest:
            mapping[key] = _scalar(rest)
        elif index < len(rows) and rows[index][0] > indent:
            mapping[key], index = _block(rows, index, rows[index][0])
        else:
            mapping[key] = None
    return mapping, index


def _scalar(text: str) -> Yaml:
    assert text[0] not in "{&*|>!%@`", f"outside the subset: {text!r}"
    if text.startswith("["):  # only lists of double-quoted strings, which JSON reads alike
        items = json.loads(text)
        assert all(isinstance(item, str) for item in items), f"flow items: {text!r}"
        return list(items)
    if text.startswith('"'):
        value = json.loads(text)
        assert isinstance(value, str)
        return value
    if text.startswith("'"):
        assert text.endswith("'") and len(text) > 1, f"unterminated: {text!r}"
        return text[1:-1].replace("''", "'")
    assert ": " not in text, f"a mapping where text was expected: {text!r}"
    return text


def unit_sections(text: str) -> dict[str, list[tuple[str, str]]]:
    """A unit's sections as (key, value) pairs in order: keys such as Environment repeat."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for line in _uncommented(text):
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, equals, value = line.partition("=")
        assert equals and current is not None, f"not a unit line: {line!r}"
        current.append((key.strip(), value.strip()))
    return sections
