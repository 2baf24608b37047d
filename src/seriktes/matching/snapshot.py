"""The offer side of a matcher written once into files that many processes map read-only.

A snapshot is a folder of `.npy` arrays and a `meta.json`: the BM25 postings as CSR arrays by
term (rows, counts), each document's terms, lengths and document frequencies, the
vocabulary as sorted UTF-8 terms in one byte array with offsets (looked up by binary
search), and the offers' fields (producer, text, class, unit, capacity, region, certificate,
HS code) as arrays over small string tables, with the offers of each class and four-digit
group in the order the matcher filed them. A reader opens the arrays with
`numpy.load(mmap_mode="r")`: the pages are the operating system's page cache, shared by
every process; what a process holds of its own is a row mask (a byte per offer) and the
offers changed since the build (the overlay), which shadow the snapshot's rows.

Snapshot and overlay together score exactly as the in-memory index they were written from
with the same changes applied: the overlay's rows follow the snapshot's, as the rows of
offers added later follow the others in memory, and the document frequencies, the count of
live documents and their total length are kept the same way.

Snapshots are written into a new folder and made current by replacing the `current` file
(an atomic rename), so that a reader never sees half a snapshot; the folders no longer
current are removed (a process still mapping one keeps reading it on Linux).
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import time
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from seriktes.kit.codes import class_of
from seriktes.matching.bm25 import BM25Index, FloatArray, IntArray
from seriktes.matching.documents import OfferDoc
from seriktes.matching.matcher import Matcher, MemoryOffers

FORMAT = 1
CURRENT = "current"
META = "meta.json"
PREFIX = "snapshot-"
ARRAYS = (
    "post_ptr",  # term → start of its postings (n_terms + 1)
    "post_rows",  # postings: rows, increasing within a term
    "post_tf",  # postings: the term's count in the row
    "doc_ptr",  # row → start of its terms (n_rows + 1)
    "doc_terms",  # the terms of each row
    "df",  # documents holding each term
    "doc_len",  # each row's length
    "alive",  # whether a row is a live document
    "ids",  # row → offer id
    "sorted_ids",  # offer ids in increasing order ...
    "sorted_rows",  # ... and their rows
    "term_ptr",  # sorted terms: start of each in term_bytes (n_terms + 1)
    "term_bytes",  # sorted terms, UTF-8, one after the other
    "producer",  # row → producer id
    "capacity",  # row → capacity per year (NaN: not known)
    "certified",  # row → a domestic producer certificate backs it
    "class_code",  # row → index in meta "class_codes" (-1: none)
    "unit_code",  # row → index in meta "unit_codes"
    "region",  # row → index in meta "regions"
    "hs_code",  # row → index in meta "hs_codes"
    "text_ptr",  # row → start of its text in text_bytes (n_rows + 1)
    "text_bytes",  # the offers' texts, UTF-8
    "class_ptr",  # class (meta "classes") → start of its rows in class_rows
    "class_rows",  # the rows of each six-digit class, in the order filed
    "group_ptr",  # group (meta "groups") → start of its rows in group_rows
    "group_rows",  # the rows of each four-digit group, in the order filed
)
CHUNK = 256  # shelf rows checked at a time


# --- writing -----------------------------------------------------------------------------
def write_snapshot(root: Path, matcher: Matcher, info: Mapping[str, Any]) -> Path:
    """Write the offers of an in-memory `matcher` as a new snapshot under `root`, make it
    current and remove the others; `info` is kept in its meta (the change it includes, the
    database it was read from). Return the snapshot's folder."""
    if not isinstance(matcher.offers, MemoryOffers):
        raise TypeError("a snapshot is written from a matcher holding its offers in memory")
    root.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
    draft = root / f".{name}"
    draft.mkdir()
    try:
        arrays, meta = _snapshot_arrays(matcher)
        for key, array in arrays.items():
            np.save(draft / f"{key}.npy", array, allow_pickle=False)
        meta |= {"format": FORMAT, "name": name, "created": time.time(), **info}
        (draft / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        _sync(draft)
        draft.rename(root / name)
    except BaseException:
        shutil.rmtree(draft, ignore_errors=True)
        raise
    pointer = root / f".{CURRENT}.{os.getpid()}.{secrets.token_hex(3)}"
    pointer.write_text(name + "\n", encoding="utf-8")
    os.replace(pointer, root / CURRENT)
    remove_old(root)
    return root / name


def remove_old(root: Path) -> None:
    """Remove the snapshot folders (and unfinished drafts) other than the current one."""
    current = current_name(root)
    for path in root.iterdir():
        if path.is_dir() and path.name.lstrip(".").startswith(PREFIX) and path.name != current:
            if path.name.startswith(".") and time.time() - path.stat().st_mtime < 3600:
                continue  # a draft another process may be writing
            shutil.rmtree(path, ignore_errors=True)


def _sync(folder: Path) -> None:
    for path in folder.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())


def _snapshot_arrays(matcher: Matcher) -> tuple[dict[str, NDArray[Any]], dict[str, Any]]:
    offers = matcher.offers
    assert isinstance(offers, MemoryOffers)
    data = matcher.index.export()
    keys: list[int] = [int(key) for key in data["keys"]]  # type: ignore[attr-defined]
    terms: list[str] = data["terms"]  # type: ignore[assignment]
    postings: sp.csc_matrix = data["postings"]
    order = sorted(range(len(terms)), key=terms.__getitem__)  # new term id → old one
    perm = np.array(order, dtype=np.int64)
    by_term = postings[:, perm].tocsc() if order else postings.tocsc()
    by_term.sort_indices()
    by_doc = by_term.tocsr()
    by_doc.sort_indices()
    tf = np.asarray(by_term.data, dtype=np.float64)
    exact = np.array_equal(tf.astype(np.float32).astype(np.float64), tf)
    encoded = [terms[i].encode() for i in order]
    ids = np.array(keys, dtype=np.int64)
    sorted_rows = np.argsort(ids, kind="stable")
    arrays: dict[str, NDArray[Any]] = {
        "post_ptr": by_term.indptr.astype(np.int64),
        "post_rows": by_term.indices.astype(np.int32),
        "post_tf": tf.astype(np.float32) if exact else tf,
        "doc_ptr": by_doc.indptr.astype(np.int64),
        "doc_terms": by_doc.indices.astype(np.int32),
        "df": np.asarray(data["df"], dtype=np.float64)[perm],
        "doc_len": np.asarray(data["lengths"], dtype=np.float64),
        "alive": np.asarray(data["alive"], dtype=bool),
        "ids": ids,
        "sorted_ids": ids[sorted_rows],
        "sorted_rows": sorted_rows.astype(np.int64),
        "term_ptr": _offsets(len(t) for t in encoded),
        "term_bytes": np.frombuffer(b"".join(encoded), dtype=np.uint8),
    }
    fields, tables = _offer_arrays(keys, offers)
    arrays |= fields
    meta: dict[str, Any] = {
        "n_rows": len(keys),
        "n_terms": len(terms),
        "live": int(data["live"]),  # type: ignore[call-overload]
        "total_len": float(data["total_len"]),  # type: ignore[arg-type]
        "k1": float(data["k1"]),  # type: ignore[arg-type]
        "b": float(data["b"]),  # type: ignore[arg-type]
        **tables,
    }
    row_of = {key: row for row, key in enumerate(keys)}
    for kind, shelves in (("class", offers.by_class), ("group", offers.by_group)):
        names = [code for code, members in shelves.items() if members]
        rows = [[row_of[offer_id] for offer_id in shelves[code]] for code in names]
        arrays[f"{kind}_ptr"] = _offsets(len(r) for r in rows)
        arrays[f"{kind}_rows"] = np.array([r for rs in rows for r in rs], dtype=np.int32)
        meta["classes" if kind == "class" else "groups"] = names
    return arrays, meta


def _offer_arrays(
    keys: Sequence[int], offers: MemoryOffers
) -> tuple[dict[str, NDArray[Any]], dict[str, list[str]]]:
    """The offers' fields by row, strings as indices into tables."""
    n = len(keys)
    producer = np.zeros(n, dtype=np.int64)
    capacity = np.full(n, np.nan)
    certified = np.zeros(n, dtype=bool)
    coded = {name: np.full(n, -1, dtype=np.int32) for name in ("class", "unit", "region", "hs")}
    tables: dict[str, dict[str, int]] = {name: {} for name in coded}
    texts: list[bytes] = []
    for row, key in enumerate(keys):
        doc = offers.get(key)
        if doc is None:  # a row taken out before the build: no document
            texts.append(b"")
            continue
        producer[row] = doc.producer_id
        if doc.capacity is not None:
            capacity[row] = doc.capacity
        certified[row] = doc.certified
        for name, value in (
            ("class", doc.class_code),
            ("unit", doc.unit_code),
            ("region", doc.region),
            ("hs", doc.hs_code),
        ):
            if value is not None:
                coded[name][row] = tables[name].setdefault(value, len(tables[name]))
        texts.append(doc.text.encode())
    arrays = {
        "producer": producer,
        "capacity": capacity,
        "certified": certified,
        "class_code": coded["class"],
        "unit_code": coded["unit"],
        "region": coded["region"],
        "hs_code": coded["hs"],
        "text_ptr": _offsets(len(t) for t in texts),
        "text_bytes": np.frombuffer(b"".join(texts), dtype=np.uint8),
    }
    names = {"class": "class_codes", "unit": "unit_codes", "region": "regions", "hs": "hs_codes"}
    return arrays, {names[name]: list(table) for name, table in tables.items()}


def _offsets(lengths: Iterable[int]) -> NDArray[np.int64]:
    sizes = np.fromiter(lengths, dtype=np.int64)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets


# --- reading -----------------------------------------------------------------------------
def current_name(root: Path) -> str | None:
    """The name of the current snapshot under `root`, None when there is none."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if name and (root / name / META).is_file() else None


def read_meta(root: Path) -> dict[str, Any] | None:
    """The meta of the current snapshot, None when there is none."""
    name = current_name(root)
    if name is None:
        return None
    try:
        meta: dict[str, Any] = json.loads((root / name / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if meta.get("format") == FORMAT else None


class Snapshot:
    """One snapshot's arrays, mapped read-only, and its meta."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta: dict[str, Any] = json.loads((folder / META).read_text(encoding="utf-8"))
        if self.meta.get("format") != FORMAT:
            raise ValueError(f"{folder}: snapshot format {self.meta.get('format')} not {FORMAT}")
        self.arrays: dict[str, NDArray[Any]] = {name: _mapped(folder, name) for name in ARRAYS}

    @property
    def name(self) -> str:
        """The snapshot's folder name."""
        return self.folder.name

    def __getitem__(self, name: str) -> NDArray[Any]:
        return self.arrays[name]


def open_current(root: Path, attempts: int = 3) -> Snapshot | None:
    """The current snapshot under `root`, mapped; None when there is none."""
    for _ in range(attempts):
        name = current_name(root)
        if name is None:
            return None
        try:
            return Snapshot(root / name)
        except (FileNotFoundError, ValueError):
            time.sleep(0.05)  # replaced and removed meanwhile: read the pointer again
    return None


def _mapped(folder: Path, name: str) -> NDArray[Any]:
    path = folder / f"{name}.npy"
    array: NDArray[Any] = np.load(path, mmap_mode="r", allow_pickle=False)
    return array


def snapshot_matcher(snapshot: Snapshot, **engines: Any) -> Matcher:
    """A matcher reading its offers from `snapshot` (the classifier, geography, units and
    other engines as keywords of `Matcher`); offers added or removed go to its overlay."""
    index = SnapshotIndex(snapshot)
    return Matcher(index=index, offers=SnapshotOffers(snapshot), **engines)


class SnapshotIndex(BM25Index):
    """A BM25 index read from a snapshot, with the documents added since in memory.

    Rows below `n` are the snapshot's; rows added later follow them, as in memory."""

    def __init__(self, snapshot: Snapshot) -> None:
        meta = snapshot.meta
        super().__init__(k1=float(meta["k1"]), b=float(meta["b"]))
        self.snapshot = snapshot
        self.n, self.n_terms = int(meta["n_rows"]), int(meta["n_terms"])
        self._alive = np.array(snapshot["alive"], dtype=bool)  # this process's own copy
        self._live, self._total_len = int(meta["live"]), float(meta["total_len"])
        self._extra_len = np.zeros(0)
        self._df_delta: dict[int, float] = {}
        self._masked: set[Hashable] = set()  # snapshot keys taken out
        self._post_ptr, self._post_rows = snapshot["post_ptr"], snapshot["post_rows"]
        self._post_tf, self._snap_df = snapshot["post_tf"], snapshot["df"]
        self._snap_len, self._ids = snapshot["doc_len"], snapshot["ids"]
        self._sorted_ids, self._sorted_rows = snapshot["sorted_ids"], snapshot["sorted_rows"]
        self._term_ptr, self._term_bytes = snapshot["term_ptr"], snapshot["term_bytes"]
        # `keys` and `row_of` hold the rows added since (from `n` on); `vocab` the new terms

    @property
    def changed(self) -> int:
        """Documents added or removed since the snapshot (rows added and rows masked)."""
        return len(self.keys) + len(self._masked)

    # --- building -------------------------------------------------------------------
    def add(
        self, key: Hashable, terms: Sequence[str], weights: Sequence[float] | None = None
    ) -> None:
        """Add (or replace) a document, after the snapshot's rows."""
        if self._row(key) is not None:
            self.remove(key)
        counts: dict[int, float] = {}
        for position, term in enumerate(terms):
            term_id = self._term_id(term, add=True)
            assert term_id is not None
            counts[term_id] = counts.get(term_id, 0.0) + (
                1.0 if weights is None else weights[position]
            )
        row = self.n + len(self.keys)
        self.keys.append(key)
        self.row_of[key] = row
        self._grow(row + 1)
        length = float(sum(counts.values()))
        self._extra_len[row - self.n] = length
        self._alive[row] = True
        self._total_len += length
        self._live += 1
        for term_id, tf in counts.items():
            self._pending[term_id].append((row, tf))
            self._df_delta[term_id] = self._df_delta.get(term_id, 0.0) + 1

    def add_many(self, docs: Iterable[tuple[Hashable, Sequence[str]]]) -> None:
        """Add many documents."""
        for key, terms in docs:
            self.add(key, terms)

    def remove(self, key: Hashable) -> None:
        """Remove a document: a snapshot row is masked, an added one dropped."""
        row = self._row(key)
        if row is None:
            return
        self._alive[row] = False
        self._total_len -= float(self._lengths(np.array([row]))[0])
        self._live -= 1
        if row < self.n:
            self._masked.add(key)
            start, end = self.snapshot["doc_ptr"][row : row + 2]
            terms = [int(t) for t in self.snapshot["doc_terms"][start:end]]
        else:
            del self.row_of[key]
            pending = self._pending.items()
            terms = [t for t, postings in pending if any(r == row for r, _ in postings)]
        for term_id in terms:
            self._df_delta[term_id] = self._df_delta.get(term_id, 0.0) - 1

    def merge(self) -> None:
        """Nothing to merge: the added documents stay in the overlay."""

    def export(self) -> dict[str, object]:
        raise TypeError("a snapshot index is not exported; build the matcher in memory")

    # --- storage --------------------------------------------------------------------
    def _term_id(self, term: str, add: bool = False) -> int | None:
        found = self._lookup(term.encode())
        if found is not None:
            return found
        extra = self.vocab.id(term, add=add)
        return None if extra is None else self.n_terms + extra

    def _lookup(self, key: bytes) -> int | None:
        """The snapshot id of a term: binary search of the sorted terms."""
        ptr, data = self._term_ptr, self._term_bytes
        lo, hi = 0, self.n_terms
        while lo < hi:
            mid = (lo + hi) // 2
            probe = data[ptr[mid] : ptr[mid + 1]].tobytes()
            if probe < key:
                lo = mid + 1
            elif probe > key:
                hi = mid
            else:
                return mid
        return None

    def _term_df(self, term_id: int) -> float:
        base = float(self._snap_df[term_id]) if term_id < self.n_terms else 0.0
        return base + self._df_delta.get(term_id, 0.0)

    def _lengths(self, rows: IntArray) -> FloatArray:
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0 or rows.max() < self.n:
            return np.asarray(self._snap_len[rows], dtype=np.float64)
        lengths = np.empty(len(rows))
        inside = rows < self.n
        lengths[inside] = self._snap_len[rows[inside]]
        lengths[~inside] = self._extra_len[rows[~inside] - self.n]
        return lengths

    def _row_count(self) -> int:
        return self.n + len(self.keys)

    def _key_of(self, row: int) -> Hashable:
        return int(self._ids[row]) if row < self.n else self.keys[row - self.n]

    def _row(self, key: Hashable) -> int | None:
        """The live row of a key, None when it is not indexed."""
        row = self.row_of.get(key)
        if row is not None:
            return row
        if key in self._masked:
            return None
        found = int(self._rows_of([key])[0])
        return found if found >= 0 else None

    def _rows_of(self, keys: Sequence[Hashable]) -> IntArray:
        rows = np.full(len(keys), -1, dtype=np.int64)
        wanted = np.array(
            [k if isinstance(k, int | np.integer) else -1 for k in keys], dtype=np.int64
        )
        if self.n and len(wanted):
            at = np.searchsorted(self._sorted_ids, wanted)
            at[at >= self.n] = 0
            hit = self._sorted_ids[at] == wanted
            rows[hit] = self._sorted_rows[at[hit]]
            rows[rows >= 0] = np.where(self._alive[rows[rows >= 0]], rows[rows >= 0], -1)
        for position, key in enumerate(keys):
            added = self.row_of.get(key)
            if added is not None:
                rows[position] = added
            elif key in self._masked:
                rows[position] = -1
        return rows

    def _postings(self, term_id: int) -> tuple[IntArray, FloatArray]:
        rows: IntArray = np.zeros(0, dtype=np.int64)
        tf: FloatArray = np.zeros(0)
        if term_id < self.n_terms:
            start, end = int(self._post_ptr[term_id]), int(self._post_ptr[term_id + 1])
            rows = self._post_rows[start:end].astype(np.int64)
            tf = self._post_tf[start:end].astype(np.float64)
        pending = self._pending.get(term_id)
        if pending:
            extra = np.array(pending, dtype=np.float64)
            rows = np.concatenate([rows, extra[:, 0].astype(np.int64)])
            tf = np.concatenate([tf, extra[:, 1]])
        return rows, tf

    def _grow(self, size: int) -> None:
        if size > len(self._alive):
            alive = np.zeros(max(size, len(self._alive) + 1024), dtype=bool)
            alive[: len(self._alive)] = self._alive
            self._alive = alive
        extra = size - self.n
        if extra > len(self._extra_len):
            lengths = np.zeros(max(extra, 2 * len(self._extra_len), 1024))
            lengths[: len(self._extra_len)] = self._extra_len
            self._extra_len = lengths


class SnapshotOffers:
    """The offers of a snapshot by id and by class, with those changed since in memory."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        meta = snapshot.meta
        self.n = int(meta["n_rows"])
        self.overlay = MemoryOffers()
        self.gone: set[int] = set()  # snapshot offers taken out (or replaced in the overlay)
        self._count = int(meta["live"])
        self._tables = {
            name: list(meta[name]) for name in ("class_codes", "unit_codes", "regions", "hs_codes")
        }
        self._shelf_at = {
            6: {code: i for i, code in enumerate(meta["classes"])},
            4: {code: i for i, code in enumerate(meta["groups"])},
        }
        self._ids, self._alive = snapshot["ids"], snapshot["alive"]
        self._sorted_ids, self._sorted_rows = snapshot["sorted_ids"], snapshot["sorted_rows"]

    def _row(self, offer_id: int) -> int:
        """The snapshot row of a live offer not taken out since, else -1."""
        if offer_id in self.gone or not self.n:
            return -1
        at = int(np.searchsorted(self._sorted_ids, offer_id))
        if at >= self.n or int(self._sorted_ids[at]) != offer_id:
            return -1
        row = int(self._sorted_rows[at])
        return row if self._alive[row] else -1

    def _doc(self, row: int) -> OfferDoc:
        s = self.snapshot
        start, end = int(s["text_ptr"][row]), int(s["text_ptr"][row + 1])
        capacity = float(s["capacity"][row])
        return OfferDoc(
            id=int(self._ids[row]),
            producer_id=int(s["producer"][row]),
            text=s["text_bytes"][start:end].tobytes().decode(),
            class_code=self._text("class_codes", s["class_code"][row]),
            unit_code=self._text("unit_codes", s["unit_code"][row]),
            capacity=None if math.isnan(capacity) else capacity,
            region=self._text("regions", s["region"][row]),
            certified=bool(s["certified"][row]),
            hs_code=self._text("hs_codes", s["hs_code"][row]),
        )

    def _text(self, table: str, at: Any) -> str | None:
        return None if int(at) < 0 else self._tables[table][int(at)]

    def get(self, offer_id: int) -> OfferDoc | None:
        """The offer with this id, None when it is not indexed."""
        if offer_id in self.overlay:
            return self.overlay.get(offer_id)
        row = self._row(offer_id) if isinstance(offer_id, int | np.integer) else -1
        return None if row < 0 else self._doc(row)

    def __getitem__(self, offer_id: int) -> OfferDoc:
        found = self.get(offer_id)
        if found is None:
            raise KeyError(offer_id)
        return found

    def __contains__(self, offer_id: object) -> bool:
        if offer_id in self.overlay:
            return True
        return isinstance(offer_id, int | np.integer) and self._row(int(offer_id)) >= 0

    def __len__(self) -> int:
        return self._count

    def values(self) -> Iterator[OfferDoc]:
        """Every offer: the snapshot's, then the overlay's (slow: tests and benchmarks)."""
        for row in range(self.n):
            offer_id = int(self._ids[row])
            if self._alive[row] and offer_id not in self.gone:
                yield self._doc(row)
        yield from self.overlay.values()

    def put(self, offer: OfferDoc) -> None:
        """File an offer in the overlay (its snapshot row, if any, no longer counts)."""
        if self._row(offer.id) >= 0:
            self.gone.add(offer.id)
            self._count -= 1
        self.overlay.put(offer)
        self._count += 1

    def pop(self, offer_id: int) -> OfferDoc | None:
        """Take an offer out."""
        if offer_id in self.overlay:
            self._count -= 1
            return self.overlay.pop(offer_id)
        row = self._row(offer_id)
        if row < 0:
            return None
        self.gone.add(offer_id)
        self._count -= 1
        return self._doc(row)

    def shelf(self, code: str, digits: int) -> Iterator[int]:
        """The offers of a class or group: the snapshot's in the order filed, then the
        overlay's."""
        at = self._shelf_at[4 if digits == 4 else 6].get(class_of(code, digits))
        if at is not None:
            kind = "group" if digits == 4 else "class"
            ptr, rows = self.snapshot[f"{kind}_ptr"], self.snapshot[f"{kind}_rows"]
            start, end = int(ptr[at]), int(ptr[at + 1])
            for chunk in range(start, end, CHUNK):
                some = np.asarray(rows[chunk : min(chunk + CHUNK, end)], dtype=np.int64)
                some = some[self._alive[some]]
                for offer_id in self._ids[some].tolist():
                    if offer_id not in self.gone:
                        yield offer_id
        yield from self.overlay.shelf(code, digits)
