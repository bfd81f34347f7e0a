"""What every back-office list shares: the query string it was asked with, page links, and CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import StreamingResponse

PAGE_SIZE = 50


@dataclass(frozen=True)
class Paging:
    page: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def page_number(raw: str | None) -> int:
    """The 1-based page asked for; anything odd is page 1."""
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100_000 else 1


def link(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with the list's current filters, some of them changed (None drops one)."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def _csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        # A cell that a spreadsheet would run as a formula is written as text.
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingResponse:
    """Rows as a CSV download, streamed."""
    return StreamingResponse(_csv_lines(header, rows), media_type="text/csv; charset=utf-8",
                             headers={"content-disposition": f'attachment; filename="{filename}"'})
