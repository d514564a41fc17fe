"""The staged rows' text: clean rows as lines of COPY's text format, which the preview keeps
(kept_rows) and the import copies or merges, and a file-like reader of such text in pieces for
COPY to pull from."""

from collections.abc import Iterable

NULL = "\\N"


class _Texts(dict):
    """Each value's text in COPY's text format, worked out once: a column holds few values."""

    def __missing__(self, value) -> str:
        text = self[value] = NULL if value is None else str(value)
        return text


FLAGS = {True: "t", False: "f", None: NULL}


def tsv_text(columns: list[list]) -> str:
    """Clean rows, given as columns in CleanRow's order, as lines of COPY's text format.
    Written a column at a time: a line per row made in Python took longer than the rows'
    own check."""
    row, upn_hash, school, year, disadvantaged, send, eal, gender, score, standard = columns
    if not row:
        return ""
    ids, scores = _Texts(), _Texts()
    texts = (
        map(str, row), upn_hash, map(ids.__getitem__, school), map(ids.__getitem__, year),
        map(FLAGS.__getitem__, disadvantaged), send, map(FLAGS.__getitem__, eal), gender,
        map(scores.__getitem__, score), standard,
    )  # fmt: skip
    return "\n".join(map("\t".join, zip(*texts, strict=True))) + "\n"


def parse_line(line: str) -> tuple:
    """A staged line back into values, for SQLite, which has no COPY."""
    row, upn_hash, school, year, disadvantaged, send, eal, gender, score, standard = line.split(
        "\t"
    )
    return (
        int(row), upn_hash, int(school), int(year), disadvantaged == "t", send,
        None if eal == NULL else eal == "t", gender, None if score == NULL else score, standard,
    )  # fmt: skip


class TextReader:
    """A file-like view of an iterator of pieces of text, for COPY to pull from in large
    reads. What the iterator raises (a file that cannot be read, a check past its time) is
    kept in `error`: psycopg2 turns it into the server's QueryCanceled, and it is the
    original that says what went wrong."""

    def __init__(self, texts: Iterable[str]):
        self.texts = iter(texts)
        self.pending = ""
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> str:
        try:
            return self._read(size)
        except BaseException as error:
            self.error = error
            raise

    def _read(self, size: int) -> str:
        parts, length = [self.pending], len(self.pending)
        for text in self.texts:
            parts.append(text)
            length += len(text)
            if 0 <= size <= length:
                break
        data = "".join(parts)
        if 0 <= size < len(data):
            data, self.pending = data[:size], data[size:]
        else:
            self.pending = ""
        return data

    readline = read
