"""An incremental BM25 inverted index over term lists, scored with numpy.

Documents live in a compressed base segment (scipy CSC: one column per term) plus a small
pending segment; adding a document touches only the pending segment, which is merged into
the base when it grows past a fraction of it. Scoring functions are kept apart from storage
so that the classifier and the offer index share them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
COMMON_SHARE = 0.02  # a term in more documents than this share is "common"
PRUNE_FROM = 50_000  # documents from which common terms are scored for candidates only
IntArray = NDArray[np.int64]


def bm25_term_weights(
    tf: FloatArray, doc_len: FloatArray, avg_len: float, idf: float, *, k1: float, b: float
) -> FloatArray:
    """BM25 weight of one term in the documents where it occurs."""
    norm = k1 * (1.0 - b + b * doc_len / max(avg_len, 1e-9))
    return idf * tf * (k1 + 1.0) / (tf + norm)


def bm25_idf(df: FloatArray, n_docs: int) -> FloatArray:
    """Lucene-style BM25 idf, never negative."""
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


class Vocabulary:
    """Term → integer id, growing as terms are added."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def id(self, term: str, add: bool = True) -> int | None:
        """Return the id of `term`, creating it when `add`."""
        found = self.ids.get(term)
        if found is None and add:
            found = self.ids[term] = len(self.ids)
        return found

    def __len__(self) -> int:
        return len(self.ids)


class BM25Index:
    """BM25 over documents identified by hashable keys; add and remove one at a time."""

    def __init__(self, k1: float = 1.2, b: float = 0.75, merge_fraction: float = 0.1) -> None:
        self.k1, self.b, self.merge_fraction = k1, b, merge_fraction
        self.vocab = Vocabulary()
        self.keys: list[Hashable] = []
        self.row_of: dict[Hashable, int] = {}
        self._len = np.zeros(0)
        self._alive = np.zeros(0, dtype=bool)
        self._df = np.zeros(0)
        self._base: sp.csc_matrix = sp.csc_matrix((0, 0))
        self._pending: dict[int, list[tuple[int, float]]] = defaultdict(list)
        self._pending_docs = 0
        self._total_len = 0.0
        self._live = 0

    # --- building -------------------------------------------------------------------
    def add(
        self, key: Hashable, terms: Sequence[str], weights: Sequence[float] | None = None
    ) -> None:
        """Add (or replace) a document; `weights` scale each term's count (default 1)."""
        if key in self.row_of:
            self.remove(key)
        counts: dict[int, float] = defaultdict(float)
        for position, term in enumerate(terms):
            term_id = self.vocab.id(term)
            assert term_id is not None
            counts[term_id] += 1.0 if weights is None else weights[position]
        row = len(self.keys)
        self.keys.append(key)
        self.row_of[key] = row
        self._grow(row + 1)
        length = float(sum(counts.values()))
        self._len[row] = length
        self._alive[row] = True
        self._total_len += length
        self._live += 1
        for term_id, tf in counts.items():
            self._pending[term_id].append((row, tf))
            self._df[term_id] += 1
        self._pending_docs += 1
        if self._pending_docs > max(2000, self.merge_fraction * self._base.shape[0]):
            self.merge()

    def add_many(self, docs: Iterable[tuple[Hashable, Sequence[str]]]) -> None:
        """Add many documents, merging once at the end."""
        fraction, self.merge_fraction = self.merge_fraction, float("inf")
        try:
            for key, terms in docs:
                self.add(key, terms)
        finally:
            self.merge_fraction = fraction
        self.merge()

    def remove(self, key: Hashable) -> None:
        """Remove a document; its postings stay but no longer score."""
        row = self.row_of.pop(key, None)
        if row is None or not self._alive[row]:
            return
        self._alive[row] = False
        self._total_len -= self._len[row]
        self._live -= 1
        for term_id in self._terms_of(row):
            self._df[term_id] -= 1

    def merge(self) -> None:
        """Fold the pending documents into the compressed base segment."""
        if not self._pending:
            return
        rows, cols, vals = [], [], []
        for term_id, postings in self._pending.items():
            for row, tf in postings:
                rows.append(row)
                cols.append(term_id)
                vals.append(tf)
        shape = (len(self.keys), len(self.vocab))
        pending = sp.csc_matrix((vals, (rows, cols)), shape=shape)
        base = self._base
        base.resize(shape)
        self._base = (base + pending).tocsc()
        self._base.sort_indices()  # `_postings` relies on rows in increasing order
        self._pending.clear()
        self._pending_docs = 0

    # --- scoring --------------------------------------------------------------------
    def query_vector(self, terms: Mapping[str, float]) -> dict[int, float]:
        """Map query terms (with weights) to known term ids."""
        vector: dict[int, float] = {}
        for term, weight in terms.items():
            term_id = self._term_id(term)
            if term_id is not None and self._term_df(term_id) > 0:
                vector[term_id] = max(vector.get(term_id, 0.0), weight)
        return vector

    def idf(self, term: str) -> float:
        """Return the idf of a term (0 if unknown)."""
        term_id = self._term_id(term)
        if term_id is None:
            return 0.0
        return self._idf_of(term_id, max(self._live, 1))

    def scores(self, terms: Mapping[str, float]) -> tuple[IntArray, FloatArray]:
        """Return (rows, scores) of every live document sharing a term with the query."""
        return self._score_vector(self.query_vector(terms))

    def _score_vector(self, vector: Mapping[int, float]) -> tuple[IntArray, FloatArray]:
        if not vector or self._live == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        avg = self._total_len / self._live
        all_rows, all_weights = [], []
        for term_id, q_weight in vector.items():
            rows, tf = self._postings(term_id)
            idf = self._idf_of(term_id, self._live)
            all_rows.append(rows)
            lengths = self._lengths(rows)
            all_weights.append(
                q_weight * bm25_term_weights(tf, lengths, avg, idf, k1=self.k1, b=self.b)
            )
        rows = np.concatenate(all_rows)
        weights = np.concatenate(all_weights)
        n_rows = self._row_count()
        if len(rows) * 20 > n_rows:
            # many postings: a dense accumulator is cheaper than sorting them
            dense = np.bincount(rows, weights=weights, minlength=n_rows)
            hits = np.flatnonzero(dense[:n_rows] * self._alive[:n_rows])
            return hits.astype(np.int64), np.asarray(dense[hits], dtype=np.float64)
        unique, inverse = np.unique(rows, return_inverse=True)
        summed = np.bincount(inverse, weights=weights).astype(np.float64)
        alive = self._alive[unique]
        return unique[alive], summed[alive]

    def top(self, terms: Mapping[str, float], k: int) -> list[tuple[Hashable, float]]:
        """Return the `k` best documents as (key, score), best first.

        In a large index, terms found in more than 2 % of the documents only add to the
        scores of the candidates the rarer terms found (their postings are long and their
        idf small), which keeps a query fast at a million documents. This is approximate:
        a document just outside those candidates whose common terms would lift it past
        them is missed; the common terms' low idf keeps that rare."""
        vector = self.query_vector(terms)
        common = {t: w for t, w in vector.items() if self._term_df(t) > COMMON_SHARE * self._live}
        rare = {t: w for t, w in vector.items() if t not in common}
        if self._live < PRUNE_FROM or not rare or not common:
            rows, scores = self._score_vector(vector)
        else:
            rows, scores = self._score_vector(rare)
            if len(rows) > 4 * k:
                # keep every row that ties with the 4k-th: common terms may decide ties
                cut = np.partition(scores, len(scores) - 4 * k)[len(scores) - 4 * k]
                keep = scores >= cut
                rows, scores = rows[keep], scores[keep]
            scores = scores + self._partial(common, rows)
        if len(rows) == 0:
            return []
        if len(rows) > k:
            part = np.argpartition(-scores, k - 1)[:k]
            rows, scores = rows[part], scores[part]
        order = np.argsort(-scores, kind="stable")
        return [(self._key_of(int(rows[i])), float(scores[i])) for i in order]

    def _partial(self, vector: Mapping[int, float], rows: IntArray) -> FloatArray:
        """Scores of `vector`'s terms for the given rows only."""
        total = np.zeros(len(rows))
        avg = self._total_len / max(self._live, 1)
        order = np.argsort(rows)
        ordered = rows[order]
        for term_id, q_weight in vector.items():
            posting_rows, tf = self._postings(term_id)
            at, found = _locate(posting_rows, ordered)
            idf = self._idf_of(term_id, self._live)
            weights = bm25_term_weights(
                tf[at[found]], self._lengths(ordered[found]), avg, idf, k1=self.k1, b=self.b
            )
            contribution = np.zeros(len(rows))
            contribution[order[found]] = q_weight * weights
            total += contribution
        return total

    def which_contain(self, term: str, keys: Sequence[Hashable]) -> NDArray[np.bool_]:
        """For each of `keys`, whether its document contains `term` (cheap for few keys)."""
        term_id = self._term_id(term)
        if term_id is None or not keys:
            return np.zeros(len(keys), dtype=bool)
        rows, _tf = self._postings(term_id)
        return _locate(rows, self._rows_of(keys))[1]

    def ideal_score(self, terms: Mapping[str, float]) -> float:
        """Upper bound of a document's score for this query (every term matched, tf → ∞)."""
        return sum(w * self.idf(t) * (self.k1 + 1.0) for t, w in terms.items())

    def __len__(self) -> int:
        return self._live

    def export(self) -> dict[str, object]:
        """Everything the scoring reads, merged, as arrays and numbers (a snapshot writes it):
        `postings` holds one column per term (rows in increasing order)."""
        self.merge()
        shape = (len(self.keys), len(self.vocab))
        base = self._base.copy()
        base.resize(shape)
        return {
            "keys": list(self.keys),
            "terms": list(self.vocab.ids),  # in id order
            "postings": base.tocsc(),
            "df": self._df[: shape[1]].copy(),
            "lengths": self._len[: shape[0]].copy(),
            "alive": self._alive[: shape[0]].copy(),
            "live": self._live,
            "total_len": self._total_len,
            "k1": self.k1,
            "b": self.b,
        }

    # --- storage, read by the scoring (a snapshot index reads it from mapped files) ----
    def _term_id(self, term: str) -> int | None:
        """The id of a known term, None for a term never indexed."""
        term_id = self.vocab.id(term, add=False)
        return term_id if term_id is not None and term_id < len(self._df) else None

    def _term_df(self, term_id: int) -> float:
        """How many live documents hold the term."""
        return float(self._df[term_id])

    def _idf_of(self, term_id: int, n_docs: int) -> float:
        return float(bm25_idf(np.array([self._term_df(term_id)]), n_docs)[0])

    def _lengths(self, rows: IntArray) -> FloatArray:
        """The lengths of the documents in these rows."""
        return self._len[rows]

    def _row_count(self) -> int:
        """Rows ever given (live or not)."""
        return len(self.keys)

    def _key_of(self, row: int) -> Hashable:
        return self.keys[row]

    def _rows_of(self, keys: Sequence[Hashable]) -> IntArray:
        """The row of each key, -1 for a key not indexed."""
        return np.array([self.row_of.get(key, -1) for key in keys], dtype=np.int64)

    # --- internals ------------------------------------------------------------------
    def _postings(self, term_id: int) -> tuple[IntArray, FloatArray]:
        """The rows holding the term, in increasing order (base rows are sorted and every
        pending row was added after them), and the term's counts in them."""
        rows: IntArray = np.zeros(0, dtype=np.int64)
        tf: FloatArray = np.zeros(0)
        if term_id < self._base.shape[1]:
            start, end = self._base.indptr[term_id], self._base.indptr[term_id + 1]
            rows = self._base.indices[start:end].astype(np.int64)
            tf = self._base.data[start:end].astype(np.float64)
        pending = self._pending.get(term_id)
        if pending:
            extra = np.array(pending, dtype=np.float64)
            rows = np.concatenate([rows, extra[:, 0].astype(np.int64)])
            tf = np.concatenate([tf, extra[:, 1]])
        return rows, tf

    def _terms_of(self, row: int) -> list[int]:
        terms = [t for t, postings in self._pending.items() if any(r == row for r, _ in postings)]
        if row < self._base.shape[0]:
            terms += list(self._base.getrow(row).indices) if self._base.nnz else []
        return terms

    def _grow(self, size: int) -> None:
        if size > len(self._len):
            capacity = max(size, 2 * len(self._len), 1024)
            lengths, alive = np.zeros(capacity), np.zeros(capacity, dtype=bool)
            lengths[: len(self._len)] = self._len
            alive[: len(self._alive)] = self._alive
            self._len, self._alive = lengths, alive
        if len(self.vocab) > len(self._df):
            grown = np.zeros(max(len(self.vocab), 2 * len(self._df), 1024))
            grown[: len(self._df)] = self._df
            self._df = grown


def _locate(sorted_rows: IntArray, wanted: IntArray) -> tuple[IntArray, NDArray[np.bool_]]:
    """For each wanted row, its position in `sorted_rows` and whether it is there."""
    if len(sorted_rows) == 0:
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    at = np.searchsorted(sorted_rows, wanted)
    at[at >= len(sorted_rows)] = 0
    return at, sorted_rows[at] == wanted
