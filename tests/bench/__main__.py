"""`make bench`: run every tests/bench/bench_*.py module's `run()` and print a table.

Each benchmark measures its own baseline in the same run and returns rows
``{"name", "value", "unit", "baseline", "ratio", "target"}`` (and an optional
``"note"`` on the conditions of the measurement); nothing here asserts
timings, it reports them. ``python -m tests.bench NAME...`` runs a subset.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _modules(selected: list[str]) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    return names


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def main(argv: list[str]) -> int:
    rows, failures = [], []
    for name in _modules(argv):
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(f"tests.bench.{name}")
            for row in module.run():
                row = dict(row, bench=name)
                rows.append(row)
                print(f"   {row['name']}: {_fmt(row['value'])} {row.get('unit', '')}"
                      f"  (baseline {_fmt(row.get('baseline'))}, ratio {_fmt(row.get('ratio'))},"
                      f" target {row.get('target', '-')})", flush=True)
                if row.get("note"):
                    print(f"      {row['note']}", flush=True)
        except Exception:  # a broken benchmark must not hide the others
            failures.append(name)
            traceback.print_exc()
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    print("\nSUMMARY")
    width = max((len(r["name"]) for r in rows), default=10)
    for row in rows:
        print(f"{row['name']:<{width}}  {_fmt(row['value']):>12} {row.get('unit', ''):<8}"
              f" ratio {_fmt(row.get('ratio')):>8}  target {row.get('target', '-')}")
    out = HERE.parent.parent / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    print(f"\n(rows written to {out})")
    if failures:
        print(f"FAILED benchmarks: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
