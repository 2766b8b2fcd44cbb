"""Run every benchmark in bench/ and collect their `figure:` lines into bench/results.md,
each with its target (from the issues) and whether this run met it, so that a release can
be compared with the last one.

    .venv/bin/python bench/run_all.py            # full sizes (make bench)
    .venv/bin/python bench/run_all.py --smoke    # small sizes, a few minutes (CI)

The smoke run proves every benchmark still runs end to end and that nothing is lost or
sent twice under load (the figures whose target is 0); at its sizes speed means little,
so it judges no speed target and writes bench/results-smoke.md instead."""

import argparse
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
    "sms_sent_in_quiet_hours": ("==", 0),
    "sms_reports_lost": ("==", 0),
    "walklist_kb": ("<", 150),
    "funnel_p95_ms": ("<", 200),
    "funnel_p95_ms_organizer": ("<", 200),
}
# Small sizes for the smoke run: each script end to end in well under a minute.
SMOKE = {
    "seed_demo.py": ["--contacts", "2000"],
    "contacts_list.py": ["--contacts", "2000", "--repeat", "3"],
    "canvass_sync.py": ["--contacts", "2000", "--doors", "100", "--repeat", "2"],
    "funnel.py": ["--contacts", "5000", "--actions", "20000", "--repeat", "2"],
    "import_contacts.py": ["--rows", "5000"],
    "import_floor.py": ["--rows", "5000"],
    "petition_load.py": ["--seconds", "3", "--clients", "4", "--workers", "2"],
    "segments.py": ["--contacts", "5000", "--repeat", "2"],
    "sms_blast.py": ["--recipients", "1000", "--latency-ms", "0", "--workers", "1"]
    + ["--rate-recipients", "40", "--quiet-after-s", "2", "--reports-recipients", "300"],
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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="small sizes; no speed verdicts")
    smoke = parser.parse_args().smoke
    scripts = ORDER + sorted(
        p.name
        for p in HERE.glob("*.py")
        if p.name not in ORDER and not p.name.startswith(("_", "run_all", "ceiling_"))
    )
    rows, failed = [], []
    for script in scripts:
        print(f"== {script}", flush=True)
        run = subprocess.run(
            [sys.executable, str(HERE / script), *(SMOKE.get(script, []) if smoke else [])],
            cwd=HERE,
            capture_output=True,
            text=True,
        )
        sys.stdout.write(run.stdout)
        if run.returncode != 0:
            sys.stdout.write(run.stderr)
            failed.append(script)
        for line in run.stdout.splitlines():
            if line.startswith("figure: "):
                name, _, value = line[len("figure: ") :].partition(" value=")
                rows.append((script, name, value))
    judged = [r for r in rows if not smoke or TARGETS.get(r[1], ("", None))[0] == "=="]
    table = ["| script | figure | value | target | met |", "| --- | --- | --- | --- | --- |"]
    table += [
        f"| {s} | {n} | {v} | {' | '.join(verdict(n, v) if (s, n, v) in judged else ('—', '—'))} |"
        for s, n, v in rows
    ]
    missed = [n for s, n, v in judged if verdict(n, v)[1] == "FAIL"]
    name = "results-smoke.md" if smoke else "results.md"
    title = "Benchmarks, smoke run" if smoke else "Benchmarks"
    (HERE / name).write_text(
        f"# {title}, {datetime.now().astimezone():%Y-%m-%d %H:%M}\n\n" + "\n".join(table) + "\n"
    )
    print(
        f"\n{len(rows)} figures written to bench/{name}"
        + (f"; failed: {failed}" if failed else "")
        + (f"; zero-targets missed: {missed}" if smoke and missed else "")
    )
    if smoke and missed:
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
