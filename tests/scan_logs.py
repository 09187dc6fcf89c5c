"""Fail if the log written by the whole test suite holds any personal data the suite created.

Usage: python -m tests.scan_logs LOG_FILE VALUES_DIR  (bin/test runs it after pytest).
Looks for full names, family and given names of five letters or more (as whole words), phone
numbers and addresses recorded by tests/personal_values.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

MIN_NAME_LENGTH = 5


def sensitive_values(directory: Path) -> set[str]:
    values: set[str] = set()
    for path in directory.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            value = line.strip()
            if len(value) >= MIN_NAME_LENGTH:  # shorter names match too many ordinary words
                values.add(value)
    return values


def findings(log_text: str, values: set[str]) -> list[tuple[str, str]]:
    found = []
    for value in sorted(values):
        if value not in log_text:  # a plain substring search first: fast on a large log
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(value) + r"(?!\w)")
        match = pattern.search(log_text)
        if match:
            start = max(0, match.start() - 60)
            found.append((value, log_text[start : match.end() + 60].replace("\n", " ")))
    return found


def main(argv: list[str]) -> int:
    log_file, values_dir = Path(argv[1]), Path(argv[2])
    values = sensitive_values(values_dir)
    if not values:
        print("scan_logs: no personal values were recorded: the recorder did not run.")
        return 1
    if not log_file.exists():
        print(f"scan_logs: {log_file} was not written: the suite's logging is not configured.")
        return 1
    text = log_file.read_text(encoding="utf-8", errors="replace")
    found = findings(text, values)
    for value, context in found[:20]:
        print(f"scan_logs: personal data in the log: {value!r} in …{context}…")
    lines = len(text.splitlines())
    print(
        f"scan_logs: {len(values)} personal values sought in {lines} log lines: {len(found)} found"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
