"""Run every benchmark in bench/ and collect their `figure:` lines into bench/results.md,
each with its target (from the issues) and whether this run met it, so that a release can
be compared with the last one."""

import subprocess
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["seed_demo.py", "contacts_list.py"]

# Figure → (comparison, target), as the issues set them.
TARGETS = {
    "seed_demo_seconds": ("<", 60),
    "segment_count_worst_ms": ("<", 1000),
    "import_vs_copy_ratio": ("<=", 2.5),
    "import_peak_mem_mb": ("<", 1500),
    "petition_vs_ceiling_ratio": (">=", 0.5),
    "petition_p99_ms": ("<", 250),
    "petition_lost_or_doubled": ("==", 0),
    "sms_msgs_per_s_0ms": (">=", 1000),
    "sms_msgs_per_s_200ms": (">=", 400),
    "sms_duplicates": ("==", 0),
    "sms_rate_error_pct": ("<=", 5),
    "walklist_kb": ("<", 150),
    "funnel_p95_ms": ("<", 200),
    "funnel_p95_ms_organizer": ("<", 200),
}
COMPARE = {
    "<": lambda v, t: v < t,
    "<=": lambda v, t: v <= t,
    ">=": lambda v, t: v >= t,
    "==": lambda v, t: v == t,
}


def verdict(name: str, value: str) -> tuple[str, str]:
    """(the target as text, "pass" / "FAIL"), or dashes for a figure without a target."""
    if name not in TARGETS:
        return "—", "—"
    op, target = TARGETS[name]
    try:
        met = COMPARE[op](float(value), target)
    except ValueError:
        return f"{op} {target}", "FAIL"
    return f"{op} {target}", "pass" if met else "FAIL"


def main() -> int:
    scripts = ORDER + sorted(
        p.name
        for p in HERE.glob("*.py")
        if p.name not in ORDER and not p.name.startswith(("_", "run_all", "ceiling_"))
    )
    rows, failed = [], []
    for script in scripts:
        print(f"== {script}", flush=True)
        run = subprocess.run(
            [sys.executable, str(HERE / script)], cwd=HERE, capture_output=True, text=True
        )
        sys.stdout.write(run.stdout)
        if run.returncode != 0:
            sys.stdout.write(run.stderr)
            failed.append(script)
        for line in run.stdout.splitlines():
            if line.startswith("figure: "):
                name, _, value = line[len("figure: ") :].partition(" value=")
                rows.append((script, name, value))
    table = ["| script | figure | value | target | met |", "| --- | --- | --- | --- | --- |"]
    table += [f"| {s} | {n} | {v} | {' | '.join(verdict(n, v))} |" for s, n, v in rows]
    (HERE / "results.md").write_text(
        f"# Benchmarks, {datetime.now():%Y-%m-%d %H:%M}\n\n" + "\n".join(table) + "\n"
    )
    print(
        f"\n{len(rows)} figures written to bench/results.md"
        + (f"; failed: {failed}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
