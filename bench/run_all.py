"""Run every benchmark in bench/ and collect their `figure:` lines into bench/results.md."""

import subprocess
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["seed_demo.py", "contacts_list.py"]


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
    table = ["| script | figure | value |", "| --- | --- | --- |"]
    table += [f"| {s} | {n} | {v} |" for s, n, v in rows]
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
