"""The errors the CLI says in one line (exit status 2): bad input, which names the file, row
and field, and a run stopped by what lies outside the code and its input."""

from __future__ import annotations

MAX_LISTED = 20  # problems of one kind said one per line; past these, how many more


class InputError(Exception):
    """Bad input found while reading or checking a file.

    ``row`` is 1-based and counts data rows (the header is row 0), as a reader sees them
    in a spreadsheet after the header; ``line`` is the line of a text file (a manifest's
    header is line 1, its first document line 2), said instead of the row when given;
    ``field`` is the column or part of the file.
    """

    def __init__(self, file: str, message: str, row: int | None = None, field: str | None = None,
                 line: int | None = None):
        self.file = file
        self.row = row
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class RunError(Exception):
    """A run stopped by what lies outside the code and its input: a worker process killed
    (out of memory?), the disk full. What names the cause comes first, as for ``InputError``."""
