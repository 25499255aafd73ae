"""Plain result types of the Python API: rows that `pandas.DataFrame(...)` takes as they are.

Every read of the Store answers with `Rows` (a list of dicts, one per row, that also knows
its column order), a list of dataclasses (`Hit`, `ViewInfo`, `Revision`, `Outcome`), or
one dict. None of them holds a connection: they stay valid after the Store is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


class Rows(list[dict[str, Any]]):
    """Rows as dicts keyed by column, in the database's column order.

    `pandas.DataFrame(rows)` gives the table; `pandas.DataFrame(rows, columns=rows.columns)`
    keeps the columns of an empty result too. Where two columns share a name, the later
    one wins in the dicts (alias them in SQL); `rows.tuples()` keeps every value.
    """

    def __init__(self, columns: Sequence[str], tuples: Iterable[Sequence[Any]] = ()) -> None:
        self.columns = list(columns)
        self._tuples = [tuple(t) for t in tuples]
        super().__init__(dict(zip(self.columns, t, strict=True)) for t in self._tuples)

    def tuples(self) -> list[tuple[Any, ...]]:
        """The rows as tuples, in column order."""
        return list(self._tuples)

    def __repr__(self) -> str:
        return f"Rows({len(self)} row(s) x {self.columns})"


@dataclass
class Revision:
    """One schema revision (migration), as `db history` lists them."""

    revision: str
    down_revision: str | None
    message: str


@dataclass
class ViewSummary:
    """One saved view, as view_catalog describes it."""

    name: str
    question: str
    description: str
