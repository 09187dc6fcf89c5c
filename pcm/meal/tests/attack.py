"""An analyst's attack on published tables, for the property tests: every count a table shows
is an equation over the numbers of people of each kind (each combination of attributes, an
*atom*); a hidden count is given away when it is a combination of shown ones. Dense Gaussian
elimination modulo a large prime, written apart from pcm.meal.suppression (which it checks).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from hypothesis import HealthCheck, settings

from pcm.meal.indicators import Figure

_P = (1 << 61) - 1


class Analyst:
    """What a reader knows: the shown counts, each the sum over a set of atoms."""

    def __init__(self, atoms: Sequence[Hashable]) -> None:
        self.index = {atom: i for i, atom in enumerate(atoms)}
        self.basis: dict[int, list[int]] = {}  # pivot -> reduced row

    def _vector(self, atoms: Iterable[Hashable]) -> list[int]:
        row = [0] * len(self.index)
        for atom in atoms:
            row[self.index[atom]] = 1
        return row

    def _reduce(self, row: list[int]) -> list[int]:
        for pivot, basis in self.basis.items():
            if row[pivot]:
                factor = row[pivot]
                row = [(a - factor * b) % _P for a, b in zip(row, basis, strict=True)]
        return row

    def sees(self, atoms: Iterable[Hashable]) -> None:
        row = self._reduce(self._vector(atoms))
        pivot = next((i for i, value in enumerate(row) if value), None)
        if pivot is None:
            return
        inverse = pow(row[pivot], _P - 2, _P)
        row = [value * inverse % _P for value in row]
        for other, basis in self.basis.items():
            if basis[pivot]:
                factor = basis[pivot]
                self.basis[other] = [(a - factor * b) % _P for a, b in zip(basis, row, strict=True)]
        self.basis[pivot] = row

    def knows(self, atoms: Iterable[Hashable]) -> bool:
        return not any(self._reduce(self._vector(atoms)))

    def reads(
        self,
        table: Any,
        atoms_of: Callable[[object], list[Any]],
        records: Sequence[Hashable],
        threshold: int,
    ) -> list[list[Any]]:
        """Read TABLE (a `pcm.meal.tables.Masked`), whose row KEY counts the records among
        ATOMS_OF(KEY): check each figure is that count and each count below THRESHOLD is
        hidden, learn the shown ones; return the atoms of the small hidden ones (nought
        excluded), the secrets to keep."""
        secrets = []
        for key, figure in table.figures.items():
            atoms = atoms_of(key)
            wanted = set(atoms)
            assert figure.numerator == sum(1 for r in records if r in wanted), key
            if figure.numerator < threshold:
                assert key in table.hidden_numerators, key  # every small count is hidden
            if key not in table.hidden_numerators:
                self.sees(atoms)
            elif 0 < figure.numerator < threshold:
                secrets.append(atoms)
        return secrets


def counting(
    records: Sequence[tuple[Any, ...]], attribute: Callable[[tuple[Any, ...], object], object]
) -> Callable[..., dict[tuple[object, ...], Figure]]:
    """`pcm.meal.indicators.count_atoms` over RECORDS in memory: ATTRIBUTE(record, axis) is
    what a record is grouped by on an axis."""

    def count(indicator, scope, period, filters, axes, distinct):
        atoms: dict[tuple[object, ...], Figure] = {}
        for record in records:
            key = tuple(attribute(record, by) for by in axes)
            atoms[key] = Figure((atoms[key].numerator if key in atoms else 0) + 1)
        return atoms

    return count


def examples(count: int) -> settings:
    """A property test's hypothesis settings: COUNT examples, no deadline (each example
    publishes every table), and the function-scoped fixtures reused across examples (they
    are read only, or set again by each example)."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
