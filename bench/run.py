"""Runs the benchmarks and writes bench/results/<name>.json and bench/results/summary.md.

    python bench/run.py                   # all four
    python bench/run.py pages reminders   # some of them
    BENCH_SECONDS=10 python bench/run.py  # a quick run (60 s per page by default)

The first run creates and fills the bench database (generate_scale_data, ~1 minute).
"""

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BENCHMARKS = ["pages", "fanout", "reminders", "export"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(sorted(unknown))}. Choose from {', '.join(BENCHMARKS)}.")
        return 2
    common.ensure_database()
    common.setup_django()
    machine = common.machine()
    print(f"Machine: {machine['nproc']} cores, {machine['memory_gib']} GiB, {machine['cpu']}, "
          f"PostgreSQL {machine['postgresql']}")
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        figures = importlib.import_module(f"bench.{name}").run()
        figures["benchmark_seconds"] = round(time.monotonic() - started, 1)
        failed += figures.get("failed_checks", [])
        print(f"   wrote {common.save(name, figures).relative_to(common.ROOT)}", flush=True)
    from bench.summary import write_summary

    print(write_summary())
    # Missed targets are reported, not failures (docs/performance.md says what limits them);
    # a check that must hold (the due queries use an index) fails the run.
    for check in failed:
        print(f"FAILED: {check}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
