"""The second SAT search's process: `python -m seriktes.events.scheduler.child JOB OUT`.

A fresh interpreter (never a fork of the caller): it inherits no signal handler, thread or
open connection of a web server, and imports only the scheduler and its solver library. It
reads a pickled `portfolio.Job` from JOB, searches, and writes the pickled `(Outcome, late)`
to OUT (through a temporary name, so a killed child leaves no half-written answer). Nothing
imports this module: it only runs as the child's main module.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from seriktes.events.scheduler.portfolio import search


def main(argv: list[str]) -> int:
    """Read the job, search, write the answer; the exit status says whether it is there."""
    job_path, out_path = Path(argv[0]), Path(argv[1])
    job = pickle.loads(job_path.read_bytes())
    answer = pickle.dumps(search(job))
    partial = out_path.with_suffix(".part")
    partial.write_bytes(answer)
    os.replace(partial, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
