"""Short human document numbers (``W-000123``, ``TR-000042``), one counter per prefix, safe under concurrency.

The counter row is created on first use and incremented with ``UPDATE ... RETURNING``, so two transactions never
get the same number; the row lock is held until the caller commits, which serializes numbering per prefix only.
A rolled-back transaction gives its number back, so numbers have no gaps.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from omniretail.kernel.db import Base, conflict_insert
from omniretail.kernel.ids import format_number


class DocumentCounter(Base):
    __tablename__ = "kernel_document_counter"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


def next_number(*, session: Session, prefix: str, width: int = 6) -> str:
    """The next number for ``prefix``, formatted for people."""
    insert = conflict_insert(session)
    session.execute(insert(DocumentCounter).values(prefix=prefix, last_value=0)
                    .on_conflict_do_nothing(index_elements=["prefix"]))
    value = session.execute(update(DocumentCounter).where(DocumentCounter.prefix == prefix)
                            .values(last_value=DocumentCounter.last_value + 1)
                            .returning(DocumentCounter.last_value)
                            .execution_options(synchronize_session=False)).scalar_one()
    return format_number(prefix, int(value), width)
