"""Count the SQL statements a piece of work sends (a test helper for the round-trip budget)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements(db) -> Iterator[Counted]:
    counted = Counted()

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            return  # transaction control, not work (the budget counts statements as the bench reports them)
        counted.statements.append(statement[:100].replace("\n", " "))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counted
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
