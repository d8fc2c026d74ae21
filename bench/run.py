#!/usr/bin/env python3
"""Run every benchmark of bench/ and write its records to bench/results/.

    .venv/bin/python bench/run.py            # all of them (what `make bench` runs)
    .venv/bin/python bench/run.py pages      # only bench/bench_pages.py

A benchmark is a module `bench/bench_<name>.py` exposing `run() -> list[dict]` (records built
by `common.record`). Each one's records go to `bench/results/<name>-<UTC timestamp>.json`, one
JSON list per benchmark and run. A missed target is reported (`met: false`), not an error; the
exit status is non-zero only when a benchmark itself fails.
"""

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from common import RESULTS_DIR, utc_now  # noqa: E402

REQUIRED = {"name", "value", "unit", "target", "reference", "ratio", "met", "date", "machine"}


def discover() -> dict[str, Path]:
    return {path.stem.removeprefix("bench_"): path for path in sorted(BENCH_DIR.glob("bench_*.py"))}


def _check(records, bench: str) -> list[dict]:
    if not isinstance(records, list) or not records:
        raise TypeError(f"bench_{bench}.run() must return a non-empty list of records")
    for rec in records:
        missing = REQUIRED - set(rec)
        if missing:
            raise TypeError(f"bench_{bench}: record {rec.get('name')!r} lacks {sorted(missing)}")
    return records


def write(bench: str, records: list[dict]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{bench}-{utc_now().strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    return path


def _number(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def _target(rec: dict) -> str:
    t = rec["target"]
    if not t:
        return "-"
    return f"ratio {t['op']} {t['value']:g}" if t["on"] == "ratio" else f"{t['op']} {t['value']:g} {rec['unit']}"


def table(records: list[dict]) -> str:
    rows = [("figure", "value", "unit", "target", "reference", "ratio", "met")]
    for rec in records:
        ref = rec["reference"] or {}
        met = {True: "yes", False: "NO", None: "-"}[rec["met"]]
        rows.append(
            (
                rec["name"],
                _number(rec["value"]),
                rec["unit"],
                _target(rec),
                _number(ref.get("value")),
                "-" if rec["ratio"] is None else f"{rec['ratio']:.2f}",
                met,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [cell.ljust(w) if i in (0, 2, 3) else cell.rjust(w) for i, (cell, w) in pairs]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all of bench/bench_*.py)")
    args = parser.parse_args(argv)
    available = discover()
    unknown = sorted(set(args.names) - set(available))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {sorted(available)}")
    failed, missed = [], 0
    for bench in args.names or list(available):
        print(f"== bench {bench} ({available[bench].relative_to(BENCH_DIR.parent)})", flush=True)
        started = time.monotonic()
        try:
            module = importlib.import_module(f"bench_{bench}")
            records = _check(module.run(), bench)
        except Exception:  # noqa: BLE001 - report every failing benchmark, run the others
            traceback.print_exc()
            print(f"== bench {bench} FAILED after {time.monotonic() - started:.0f} s", flush=True)
            failed.append(bench)
            continue
        path = write(bench, records)
        missed += sum(1 for rec in records if rec["met"] is False)
        print(f"\n{table(records)}\n")
        print(f"== bench {bench}: {len(records)} records in {path.relative_to(BENCH_DIR.parent)}", end="")
        print(f" ({time.monotonic() - started:.0f} s)", flush=True)
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print(f"all benchmarks ran; {missed} figure(s) missed their target" if missed else "all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
