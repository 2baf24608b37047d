"""Matching at scale: index build time, peak memory, single-need latency, batch throughput.

Generation is timed on its own; the index build is `Matcher.add_offers` alone. Peak memory
is the process's resident high-water mark, reset before the build where Linux allows it.
Times are wall clock (the verdicts) and CPU time beside them: on a shared machine the CPU
time shows what the same work costs on idle cores.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import psutil

from bench_matching_data import generate, geography, unit_table
from seriktes.matching.matcher import Matcher, NeedDoc, OfferDoc
from seriktes.matching.text import Analyzer

GIB = 1024**3
TARGET_BUILD_S = 600.0
TARGET_PEAK_GIB = 6.0
TARGET_P95_MS = 50.0
TARGET_BATCH_S = 15 * 60.0
TARGET_OFFERS = 1_000_000
TARGET_NEEDS = 100_000

_MATCHER: Matcher | None = None  # inherited by forked batch workers


@dataclass(frozen=True)
class Span:
    """Wall-clock and CPU seconds of one piece of work."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s cpu"


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """User plus system CPU seconds of this process (or of its finished children)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Figure:
    """One measured figure with its target and verdict ('' when there is no target)."""

    name: str
    value: str
    target: str = ""
    verdict: str = ""


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def peak_rss_bytes() -> int:
    """The process's peak resident set size so far (VmHWM, else ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak_rss() -> bool:
    """Reset the peak RSS counter (Linux ≥ 4.0); False when the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def load_morphology() -> float:
    """Load the lemmatiser's dictionaries once, outside the timed build; return seconds."""
    started = time.perf_counter()
    Analyzer().terms("Подшипник шариковый радиальный")
    return time.perf_counter() - started


def build(offers: Sequence[OfferDoc]) -> tuple[Matcher, Span, int, int]:
    """Index the offers; return the matcher, the build's span, RSS before and peak RSS."""
    matcher = Matcher(geography=geography(), units=unit_table())
    reset_peak_rss()
    before = psutil.Process().memory_info().rss
    wall, cpu = time.perf_counter(), time.process_time()
    matcher.add_offers(offers)
    gc.collect()
    gc.freeze()  # as the service does after building its matcher
    span = Span(time.perf_counter() - wall, time.process_time() - cpu)
    return matcher, span, before, peak_rss_bytes()


def latencies_ms(
    matcher: Matcher, needs: Sequence[NeedDoc]
) -> tuple[list[float], list[float], int]:
    """Match each need alone; return wall and CPU milliseconds and how many found nothing."""
    walls, cpus, empty = [], [], 0
    for need in needs:
        wall, cpu = time.perf_counter(), time.thread_time()
        found = matcher.match(need, top=10)
        cpus.append((time.thread_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
        empty += not found
    return walls, cpus, empty


def _match_chunk(needs: Sequence[NeedDoc]) -> int:
    assert _MATCHER is not None
    for need in needs:
        _MATCHER.match(need, top=10)
    return len(needs)


def batch_span(matcher: Matcher, needs: Sequence[NeedDoc], workers: int) -> Span:
    """Match all `needs` with `workers` forked processes sharing the index."""
    global _MATCHER  # noqa: PLW0603 - forked workers read the index from this global
    _MATCHER = matcher
    wall = time.perf_counter()
    cpu = cpu_seconds() + cpu_seconds(resource.RUSAGE_CHILDREN)
    if workers <= 1:
        _match_chunk(needs)
    else:
        chunks = [needs[i::workers] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.map(_match_chunk, chunks)
    _MATCHER = None
    cpu = cpu_seconds() + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    return Span(time.perf_counter() - wall, cpu)


def run(
    *, offers: int, needs: int, seed: int, queries: int, batch: int | None, workers: int
) -> list[Figure]:
    """Run the scale benchmark; `batch` None matches every need, else a sample, projected."""
    started = time.perf_counter()
    offer_docs, need_docs = generate(offers, needs, seed)
    figures = [
        Figure("machine: cores / load average before", f"{os.cpu_count()} / {load_average()}"),
        Figure("generate offers + needs", f"{time.perf_counter() - started:.1f} s"),
        Figure("load pymorphy3 dictionaries (once)", f"{load_morphology():.1f} s"),
    ]
    matcher, built = build_figures(offer_docs)
    del offer_docs  # the matcher holds them now
    rng = random.Random(seed + 1)
    sample = rng.sample(need_docs, min(queries, len(need_docs)))
    return [
        *figures,
        *built,
        *latency_figures(matcher, sample),
        *batch_figures(matcher, need_docs, batch, workers, rng),
        Figure("machine: load average after", load_average()),
    ]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def build_figures(offer_docs: Sequence[OfferDoc]) -> tuple[Matcher, list[Figure]]:
    """Build the index and report its time and memory against the targets."""
    matcher, span, before, peak = build(offer_docs)
    offers = len(offer_docs)
    target = TARGET_BUILD_S * offers / TARGET_OFFERS
    return matcher, [
        Figure(
            f"index build, {offers:,} offers",
            f"{span} ({offers / span.wall:,.0f}/s)",
            f"≤ {target:.0f} s",
            verdict(span.wall <= target),
        ),
        Figure("RSS before build (generated data)", f"{before / GIB:.2f} GiB"),
        Figure(
            "peak RSS during build",
            f"{peak / GIB:.2f} GiB",
            f"≤ {TARGET_PEAK_GIB:.0f} GiB",
            verdict(peak <= TARGET_PEAK_GIB * GIB),
        ),
        Figure("RSS after build", f"{psutil.Process().memory_info().rss / GIB:.2f} GiB"),
    ]


def latency_figures(matcher: Matcher, sample: Sequence[NeedDoc]) -> list[Figure]:
    """Time single-need matching and report p50/p95 against the target."""
    walls, cpus, empty = latencies_ms(matcher, sample)
    wall50, wall95 = np.percentile(walls, [50, 95])
    cpu50, cpu95 = np.percentile(cpus, [50, 95])
    count = f"{len(sample):,} needs"
    return [
        Figure(f"single need p50 ({count})", f"{wall50:.1f} ms wall, {cpu50:.1f} ms cpu"),
        Figure(
            f"single need p95 ({count})",
            f"{wall95:.1f} ms wall, {cpu95:.1f} ms cpu",
            f"≤ {TARGET_P95_MS:.0f} ms",
            verdict(wall95 <= TARGET_P95_MS),
        ),
        Figure("single need max wall / found nothing", f"{max(walls):.1f} ms / {empty} needs"),
    ]


def batch_figures(
    matcher: Matcher,
    need_docs: Sequence[NeedDoc],
    batch: int | None,
    workers: int,
    rng: random.Random,
) -> list[Figure]:
    """Time the batch of needs (all, or a sample projected to all of them)."""
    needs = list(need_docs)
    if batch is not None and batch < len(needs):
        needs = rng.sample(needs, batch)
    span = batch_span(matcher, needs, workers)
    target = TARGET_BATCH_S * len(need_docs) / TARGET_NEEDS
    scale = len(need_docs) / len(needs)
    label = "projected" if scale > 1 else "measured"
    idle = span.cpu / max(workers, 1) * scale  # the same CPU work spread over idle cores
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return [
        Figure(
            f"batch, {len(needs):,} needs, {workers} process(es)",
            f"{span} ({len(needs) / span.wall:,.0f} needs/s)",
        ),
        Figure(
            f"batch, {len(need_docs):,} needs ({label}, wall)",
            f"{span.wall * scale:.0f} s",
            f"≤ {target:.0f} s",
            verdict(span.wall * scale <= target),
        ),
        Figure(
            f"batch, {len(need_docs):,} needs (projected, cpu / {workers} idle cores)",
            f"{idle:.0f} s",
            f"≤ {target:.0f} s",
            verdict(idle <= target),
        ),
        Figure(
            "peak RSS of one batch worker (shares pages with the parent)",
            f"{children / GIB:.2f} GiB" if children else "-",
        ),
    ]
