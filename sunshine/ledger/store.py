"""Storing events: the import behind ``build.py cases import`` and ``POST /api/cases/events``.

Lines are read and checked one by one (:mod:`.events`); the good ones are
stored in batches, one transaction per batch:

1. lock the batch's cases (PostgreSQL: transaction-level advisory locks, in a
   fixed order; SQLite: ``BEGIN IMMEDIATE`` already holds the write lock);
2. find which event ids are stored already (duplicates) and read the cases'
   rows (their item, their snapshot);
3. check each line against its case (``item`` agrees with the case's; ``step``
   is one of the case's item's steps; a token bound to a department sends only
   that department's cases);
4. insert the events (on PostgreSQL an id that another import stored since
   step 2 — possible only for an id sent for two different cases — fails the
   batch with a unique violation, and the batch runs again, where it is a
   duplicate);
5. derive every touched case from all its events and upsert ``ledger_case``;
6. commit — only then are the batch's lines counted in the answer.

A line is stored whole or not at all, a crash loses at most the batch being
written (never half of it), and re-sending anything is harmless: a stored id
is a duplicate and changes nothing, even when the re-sent line differs.

The hot path talks to the database driver directly (sqlite3 ``executemany``;
psycopg ``COPY``, the cases through a temporary table): an import of a million
events spends its time parsing and deriving, not building statements.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from sunshine.feedback.models import utcnow

from .events import EventError, ParsedEvent, decode_line, event_line, parse_line, problem
from .items import ItemInfo, LedgerIndex
from .models import SOURCE_CLI, T_ACCEPT
from .signals import signal_facts
from .state import FACT_COLUMNS, CaseState, Facts, Snapshot, derive

#: Lines per transaction for files: big, as a case touched by several batches is derived again in each.
FILE_BATCH = 50000
#: SQLite page cache of an importing connection, in KiB.
SQLITE_CACHE_KB = 64 * 1024
#: Times a batch is tried again after a conflict with a concurrent import (PostgreSQL).
RETRIES = 5
#: Namespace of the advisory locks on cases (two-key form; the migration lock uses the one-key form).
_LOCK_SPACE = 74840

Clock = Callable[[], dt.datetime]


@dataclass
class ImportResult:
    """The contract's answer: events stored, ids already stored, and each refused line with its reason."""

    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    #: The last line read so far (the lines up to here are answered for).
    lines: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}

    def reject(self, line: int, error: str) -> None:
        self.rejected.append({"line": line, "error": error})


@dataclass(frozen=True)
class Binding:
    """A token's department: only cases of this center's department's items may be sent with it."""

    center: str
    department: str


@dataclass
class _CaseRow:
    item_id: str | None
    department_id: str | None
    promised: int | None
    steps: list[Any] | None
    snapshot_at: dt.datetime | None


def split_lines(stream: Iterable[bytes]) -> Iterator[bytes]:
    """Lines of a byte stream read in chunks (a file, a request body), without their ``\\n``."""
    rest = b""
    for chunk in stream:
        if not chunk:
            continue
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


class Importer:
    """Stores lines of events into one database against one content tree; see the module docstring."""

    def __init__(
        self,
        engine: Engine,
        index: LedgerIndex,
        *,
        source: str = SOURCE_CLI,
        binding: Binding | None = None,
        clock: Clock = utcnow,
        batch_size: int = FILE_BATCH,
    ) -> None:
        self.engine = engine
        self.index = index
        self.source = source
        self.binding = binding
        self.clock = clock
        self.batch_size = batch_size
        self.dialect = engine.dialect.name
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database {self.dialect}")

    def run(
        self, lines: Iterable[bytes], on_commit: Callable[[ImportResult], None] | None = None
    ) -> ImportResult:
        """Import every line; ``on_commit`` is told the running answer after each committed batch."""
        result = ImportResult()
        pending: list[tuple[int, ParsedEvent]] = []
        refused: list[tuple[int, str]] = []
        number = 0
        for number, data in enumerate(lines, start=1):
            try:
                text = decode_line(data, number)
                if not text.strip():
                    continue
                pending.append((number, parse_line(text, self.index, self.clock())))
            except EventError as exc:
                refused.append((number, str(exc)))
            if len(pending) >= self.batch_size:
                self._commit(pending, refused, number, result, on_commit)
                pending, refused = [], []
        if pending or refused or number > result.lines:
            self._commit(pending, refused, number, result, on_commit)
        return result

    def _commit(
        self,
        batch: list[tuple[int, ParsedEvent]],
        refused: list[tuple[int, str]],
        last_line: int,
        result: ImportResult,
        on_commit: Callable[[ImportResult], None] | None,
    ) -> None:
        outcome = self._store(batch) if batch else _Outcome()
        for line, error in sorted(refused + outcome.refused):
            result.reject(line, error)
        result.accepted += outcome.accepted
        result.duplicates += outcome.duplicates
        result.lines = last_line
        if on_commit is not None:
            on_commit(result)

    def _store(self, batch: list[tuple[int, ParsedEvent]]) -> _Outcome:
        for attempt in range(RETRIES):
            try:
                with self.engine.begin() as conn:
                    return _Batch(self, conn).store(batch)
            except Exception as exc:
                if attempt + 1 < RETRIES and _is_retryable(exc):
                    continue
                raise
        raise AssertionError("unreachable")  # pragma: no cover


def _is_retryable(exc: Exception) -> bool:
    """A PostgreSQL deadlock, serialization failure or unique violation (an event id stored meanwhile)."""
    code = getattr(exc, "sqlstate", None) or getattr(getattr(exc, "orig", None), "sqlstate", None)
    return code in ("40P01", "40001", "23505")


@dataclass
class _Outcome:
    accepted: int = 0
    duplicates: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


class _Batch:
    """One transaction of an import."""

    def __init__(self, importer: Importer, conn: Connection) -> None:
        self.importer = importer
        self.index = importer.index
        self.conn = conn
        self.raw = conn.connection.driver_connection
        self.pg = importer.dialect == "postgresql"
        if not self.pg:
            # A bigger page cache than SQLite's 2 MB keeps the event indexes of a big ledger in memory.
            self.raw.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")

    # -- the steps -------------------------------------------------------------------------------

    def store(self, batch: list[tuple[int, ParsedEvent]]) -> _Outcome:
        outcome = _Outcome()
        keys = sorted({event.key for _line, event in batch})
        if self.pg:
            self._lock(keys)
        stored = self._stored_ids([event.id for _line, event in batch])
        cases = self._cases(keys)
        case_items = {key: row.item_id for key, row in cases.items()}
        seen: set[str] = set()
        accepted: list[ParsedEvent] = []
        binding = self.importer.binding
        for line, event in batch:
            case_item = case_items.get(event.key)
            # The token's binding first: a line it may not send is refused even when its id is stored.
            item = event.item or self.index.item(event.center, case_item)
            error = _binding_problem(binding, item) if binding is not None else None
            if error:
                outcome.refused.append((line, error))
                continue
            if event.id in stored or event.id in seen:
                outcome.duplicates += 1
                continue
            error = self._against_case(event, case_item)
            if error:
                outcome.refused.append((line, error))
                continue
            seen.add(event.id)
            if event.item is not None and case_items.get(event.key) is None:
                case_items[event.key] = event.item.id
            accepted.append(event)
        inserted = self._insert(accepted)
        outcome.accepted = len(inserted)
        outcome.duplicates += len(accepted) - len(inserted)
        touched = sorted({event.key for event in accepted if event.id in inserted})
        if touched:
            # A case new in this batch has no events but the ones just inserted (its lock was held
            # throughout): derive it from those, and read only the stored cases' events back.
            fresh: dict[tuple[str, str], list[Facts]] = defaultdict(list)
            for event in accepted:
                if event.key not in cases and event.id in inserted:
                    fresh[event.key].append(_facts_of(event))
            self._derive(touched, cases, fresh)
        return outcome

    def rederive(self, keys: list[tuple[str, str]]) -> None:
        """Derive these cases again from their stored events (their snapshots kept)."""
        if self.pg:
            self._lock(keys)
        self._derive(keys, self._cases(keys))

    def mismatches(self, keys: list[tuple[str, str]]) -> list[str]:
        """Cases whose stored row differs from what their events derive (a consistency check)."""
        cases = self._cases(keys)
        facts = self._facts(keys)
        stored: dict[tuple[str, str], tuple[Any, ...]] = {}
        names = ", ".join(CASE_COLUMNS)
        for chunk in _chunks(sorted({k[1] for k in keys}), 5000):
            for row in self._select(f"SELECT {names} FROM ledger_case WHERE ", "case_no", chunk):
                stored[(row[0], row[1])] = tuple(row)
        out = []
        skip = {CASE_COLUMNS.index("updated_at"), CASE_COLUMNS.index("snapshot_at")}
        for key in keys:
            existing = cases.get(key)
            if existing is None:
                out.append(f"{key}: no ledger_case row")
                continue
            snapshot = Snapshot.from_row(existing.promised, existing.steps)
            state = derive(key[0], key[1], facts[key], snapshot)
            item = self.index.item(key[0], state.item_id)
            department = item.department if item is not None else existing.department_id
            expected = self._case_values(state, department, None, utcnow())
            for i, (want, got) in enumerate(zip(expected, stored[key], strict=True)):
                if i in skip:
                    continue
                if CASE_COLUMNS[i] in ("steps", "signal_facts"):
                    want = json.loads(want) if want is not None else None
                    got = json.loads(got) if isinstance(got, str) else got
                if want != got:
                    out.append(f"{key}: {CASE_COLUMNS[i]} is {got!r}, its events give {want!r}")
        return out

    def _against_case(self, event: ParsedEvent, case_item: str | None) -> str | None:
        """The checks that need the case: its item agrees; a step is one of the case's item's steps."""
        if event.item is not None and case_item is not None and event.item.id != case_item:
            return problem(
                "item",
                f"与该办件已有事件的事项“{case_item}”不一致 (disagrees with the case's item)",
                "a case is one application for one item",
            )
        item = event.item or self.index.item(event.center, case_item)
        if (
            event.step is not None
            and event.item is None
            and item is not None
            and event.step not in item.step_names
        ):
            return problem(
                "step",
                f"“{event.step}”不是该办件事项的办理环节 (not one of the item's steps)",
                "steps: " + "、".join(s[0] for s in item.steps),
            )
        return None

    def _lock(self, keys: list[tuple[str, str]]) -> None:
        """Serialize concurrent imports of the same cases (each case's derivation must see all its events)."""
        ids = sorted({_lock_id(key) for key in keys})
        with self.raw.cursor() as cur:
            cur.execute(
                # unnest returns the (sorted) array in its order, so every import locks in one order.
                "SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::int[]) AS u(k)",
                (_LOCK_SPACE, ids),
            )

    def _stored_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(sorted(set(ids)), 5000):
            if self.pg:
                with self.raw.cursor() as cur:
                    cur.execute("SELECT id FROM ledger_event WHERE id = ANY(%b)", (chunk,))
                    found.update(r[0] for r in cur)
            else:
                marks = ",".join("?" * len(chunk))
                found.update(
                    r[0]
                    for r in self.raw.execute(f"SELECT id FROM ledger_event WHERE id IN ({marks})", chunk)
                )
        return found

    def _cases(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], _CaseRow]:
        wanted = set(keys)
        out: dict[tuple[str, str], _CaseRow] = {}
        sql = (
            "SELECT center, case_no, item_id, department_id, promised, steps, snapshot_at "
            "FROM ledger_case WHERE "
        )
        for chunk in _chunks(sorted({k[1] for k in keys}), 5000):
            for row in self._select(sql, "case_no", chunk):
                key = (row[0], row[1])
                if key in wanted:
                    steps = json.loads(row[5]) if isinstance(row[5], str) else row[5]
                    out[key] = _CaseRow(row[2], row[3], row[4], steps, self._time(row[6]))
        return out

    def _facts(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[Facts]]:
        wanted = set(keys)
        out: dict[tuple[str, str], list[Facts]] = defaultdict(list)
        sql = f"SELECT center, case_no, {', '.join(FACT_COLUMNS)} FROM ledger_event WHERE "
        at = FACT_COLUMNS.index("at") + 2
        for chunk in _chunks(sorted({k[1] for k in keys}), 5000):
            for row in self._select(sql, "case_no", chunk):
                key = (row[0], row[1])
                if key in wanted:
                    values = list(row[2:])
                    values[at - 2] = self._time(row[at])
                    out[key].append(Facts(*values))
        return out

    def _select(self, sql: str, column: str, values: list[str]) -> Iterable[tuple[Any, ...]]:
        if self.pg:
            cur = self.raw.cursor()
            cur.execute(sql + f"{column} = ANY(%b)", (values,))
            return cur.fetchall()
        marks = ",".join("?" * len(values))
        return self.raw.execute(sql + f"{column} IN ({marks})", values).fetchall()

    def _insert(self, events: list[ParsedEvent]) -> set[str]:
        """Insert the events (in id order, so concurrent imports wait for each other in one order)."""
        if not events:
            return set()
        events = sorted(events, key=lambda e: e.id)
        received = utcnow()
        source = self.importer.source
        rows = [
            (
                e.id,
                e.center,
                e.case,
                e.type,
                self._db_time(e.at),
                e.item.id if e.item is not None else None,
                e.channel,
                e.applicant_name,
                e.applicant_kind,
                e.step,
                e.actor,
                e.decision,
                e.reason,
                e.fee_name,
                e.fee_amount,
                e.fee_fen,
                e.note,
                e.raw,
                source,
                self._db_time(received),
            )
            for e in events
        ]
        columns = ", ".join(name for name, _type in EVENT_COLUMNS)
        if self.pg:
            # COPY is three times faster than any INSERT.  An id that a concurrent import stored since
            # the lookup makes it fail with a unique violation: the whole batch is then tried again.
            with self.raw.cursor() as cur, cur.copy(f"COPY ledger_event ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return {e.id for e in events}
        marks = ",".join("?" * len(EVENT_COLUMNS))
        cur = self.raw.cursor()
        cur.executemany(
            f"INSERT INTO ledger_event ({columns}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING", rows
        )
        if cur.rowcount == len(rows):
            return {e.id for e in events}
        # Not expected under SQLite's write lock (the ids were looked up inside it): count what is there.
        raise RuntimeError(f"{len(rows) - cur.rowcount} event(s) were stored by someone else meanwhile")

    def _derive(
        self,
        keys: list[tuple[str, str]],
        cases: dict[tuple[str, str], _CaseRow],
        fresh: dict[tuple[str, str], list[Facts]] | None = None,
    ) -> None:
        """Derive the cases from their events (``fresh``: all the events of cases not stored before)."""
        fresh = fresh or {}
        facts = self._facts([key for key in keys if key not in fresh])
        facts.update(fresh)
        now = utcnow()
        rows = []
        for key in keys:
            existing = cases.get(key)
            events = facts[key]
            snapshot = Snapshot.from_row(existing.promised, existing.steps) if existing else None
            snapshot_at = existing.snapshot_at if existing else None
            item_id = next((e.item_id for e in sorted(events, key=lambda e: e.at) if e.item_id), None)
            item = self.index.item(key[0], item_id)
            if snapshot is None and item is not None and any(e.type == T_ACCEPT for e in events):
                snapshot, snapshot_at = snapshot_of(item), now
            state = derive(key[0], key[1], events, snapshot)
            department = (
                item.department if item is not None else (existing.department_id if existing else None)
            )
            rows.append(self._case_values(state, department, snapshot_at, now))
        self._upsert(rows)

    # -- rows ------------------------------------------------------------------------------------

    def _case_values(
        self, state: CaseState, department: str | None, snapshot_at: dt.datetime | None, now: dt.datetime
    ) -> tuple[Any, ...]:
        snapshot = state.snapshot
        t = self._db_time
        return (
            state.center,
            state.case_no,
            state.item_id,
            department,
            state.status,
            state.applicant_name,
            state.applicant_kind,
            state.channel,
            t(state.applied_at),
            t(state.accepted_at),
            snapshot.promised if snapshot else None,
            self._json(snapshot.to_json()) if snapshot else None,
            t(snapshot_at),
            self._db_date(state.due_on),
            self._bool(state.paused),
            state.pause_days,
            t(state.closed_at),
            state.closed_by,
            state.decision,
            self._bool(state.on_time),
            state.late_days,
            len(state.corrections),
            len(state.fees),
            state.fee_names,
            len(state.late_steps),
            state.running_step,
            self._db_date(state.running_due),
            self._bool(bool(state.refusals)),
            self._bool(state.has_steps),
            state.event_count,
            t(state.first_at),
            t(state.last_at),
            self._json(signal_facts(state)),
            t(now),
        )

    def _upsert(self, rows: list[tuple[Any, ...]]) -> None:
        columns = CASE_COLUMNS
        update = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("center", "case_no"))
        names = ", ".join(columns)
        if self.pg:
            # COPY into a temporary table (emptied at commit), then one upsert from it.
            with self.raw.cursor() as cur:
                cur.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS ledger_case_in ON COMMIT DELETE ROWS AS "
                    f"SELECT {names} FROM ledger_case WITH NO DATA"
                )
                with cur.copy(f"COPY ledger_case_in ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cur.execute(
                    f"INSERT INTO ledger_case ({names}) SELECT {names} FROM ledger_case_in "
                    f"ON CONFLICT (case_no, center) DO UPDATE SET {update}"
                )
            return
        marks = ",".join("?" * len(columns))
        self.raw.executemany(
            f"INSERT INTO ledger_case ({names}) VALUES ({marks}) "
            f"ON CONFLICT (case_no, center) DO UPDATE SET {update}",
            rows,
        )

    # -- values as each driver stores them (what SQLAlchemy's column types write and read) ----------

    def _db_time(self, moment: dt.datetime | None) -> Any:
        if moment is None:
            return None
        if moment.tzinfo is not dt.UTC:
            moment = moment.astimezone(dt.UTC)
        naive = moment.replace(tzinfo=None)
        return naive if self.pg else naive.isoformat(sep=" ", timespec="microseconds")

    def _time(self, value: Any) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.UTC)

    def _db_date(self, day: dt.date | None) -> Any:
        if day is None:
            return None
        return day if self.pg else day.isoformat()

    def _bool(self, value: bool | None) -> Any:
        if value is None or self.pg:
            return value
        return int(value)

    def _json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


#: ``ledger_event`` columns the importer writes (with their PostgreSQL types), in the order of its rows.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "text"),
    ("center", "text"),
    ("case_no", "text"),
    ("type", "text"),
    ("at", "timestamp"),
    ("item_id", "text"),
    ("channel", "text"),
    ("applicant_name", "text"),
    ("applicant_kind", "text"),
    ("step", "text"),
    ("actor", "text"),
    ("decision", "text"),
    ("reason", "text"),
    ("fee_name", "text"),
    ("fee_amount", "text"),
    ("fee_fen", "bigint"),
    ("note", "text"),
    ("raw", "text"),
    ("source", "text"),
    ("received_at", "timestamp"),
)

#: ``ledger_case`` columns the importer writes (with their PostgreSQL types), in the order of
#: :meth:`_Batch._case_values`.
CASE_TYPES: tuple[tuple[str, str], ...] = (
    ("center", "text"),
    ("case_no", "text"),
    ("item_id", "text"),
    ("department_id", "text"),
    ("status", "text"),
    ("applicant_name", "text"),
    ("applicant_kind", "text"),
    ("channel", "text"),
    ("applied_at", "timestamp"),
    ("accepted_at", "timestamp"),
    ("promised", "int"),
    ("steps", "text"),
    ("snapshot_at", "timestamp"),
    ("due_on", "date"),
    ("paused", "bool"),
    ("pause_days", "int"),
    ("closed_at", "timestamp"),
    ("closed_by", "text"),
    ("decision", "text"),
    ("on_time", "bool"),
    ("late_days", "int"),
    ("corrections", "int"),
    ("fee_count", "int"),
    ("fee_names", "text"),
    ("late_steps", "int"),
    ("running_step", "int"),
    ("running_due", "date"),
    ("no_reason", "bool"),
    ("has_steps", "bool"),
    ("event_count", "int"),
    ("first_at", "timestamp"),
    ("last_at", "timestamp"),
    ("signal_facts", "text"),
    ("updated_at", "timestamp"),
)
CASE_COLUMNS: tuple[str, ...] = tuple(name for name, _type in CASE_TYPES)


def _facts_of(event: ParsedEvent) -> Facts:
    return Facts(
        event.id,
        event.type,
        event.at,
        event.item.id if event.item is not None else None,
        event.channel,
        event.applicant_name,
        event.applicant_kind,
        event.step,
        event.decision,
        event.reason,
        event.fee_name,
        event.fee_amount,
    )


def snapshot_of(item: ItemInfo) -> Snapshot:
    """The item's promised limit and steps now: what a case keeps from its 受理 on."""
    return Snapshot(item.promised, item.steps)


def _binding_problem(binding: Binding, item: ItemInfo | None) -> str | None:
    if item is None:
        return problem(
            "item",
            "无法确定办件的事项，绑定部门的令牌须先发送写明事项的事件 (the case's item is unknown)",
            f"this token may send only cases of department {binding.department}",
        )
    if (item.center, item.department) != (binding.center, binding.department):
        return problem(
            "item",
            f"事项“{item.id}”属于部门 {item.department}，本令牌只能发送部门 {binding.department} 的办件 "
            "(item of another department)",
            "use the token of that department",
        )
    return None


def _lock_id(key: tuple[str, str]) -> int:
    digest = hashlib.blake2b(f"{key[0]}\x1f{key[1]}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def all_cases(engine: Engine) -> list[tuple[str, str]]:
    """Every case that has events, as (center, case number)."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT DISTINCT center, case_no FROM ledger_event").fetchall()
    return sorted((r[0], r[1]) for r in rows)


def rederive(engine: Engine, index: LedgerIndex, chunk: int = 5000) -> int:
    """Derive every case again from its events (after a change of the rules); return how many."""
    keys = all_cases(engine)
    importer = Importer(engine, index)
    for part in _chunks(keys, chunk):
        with engine.begin() as conn:
            _Batch(importer, conn).rederive(part)
    return len(keys)


def check_derived(engine: Engine, index: LedgerIndex, chunk: int = 5000) -> list[str]:
    """Every case whose stored state is not what its events give (empty: the ledger is consistent)."""
    importer = Importer(engine, index)
    out: list[str] = []
    for part in _chunks(all_cases(engine), chunk):
        with engine.connect() as conn:
            out.extend(_Batch(importer, conn).mismatches(part))
    return out


# -- one event from a staff page ------------------------------------------------------------------


def record_event(
    engine: Engine, index: LedgerIndex, fields: dict[str, Any], *, source: str, clock: Clock = utcnow
) -> tuple[str, ImportResult]:
    """Store one event written by the center's own pages (window registration …): the same path as a file.

    ``fields`` are the event's keys as the contract names them; ``id`` is made
    up when absent and ``at`` defaults to now.  Returns the event id and the
    answer (``rejected`` says why it was refused).
    """
    fields = dict(fields)
    fields.setdefault("id", uuid.uuid4().hex)
    fields.setdefault(
        "at", clock().astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds")
    )
    line = event_line(fields).encode("utf-8")
    result = Importer(engine, index, source=source, clock=clock, batch_size=1).run([line])
    return str(fields["id"]), result
