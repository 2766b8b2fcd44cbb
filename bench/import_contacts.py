"""Import a realistic N-row contacts file into PostgreSQL and compare with a raw COPY.

    .venv/bin/python bench/import_contacts.py [--rows 1000000]

Generates a French file (`;`-separated, phones in every format, ~2 % of people twice,
a few broken lines), imports it with `manage.py import_contacts` into a fresh database,
then loads the same file with PostgreSQL's own COPY into a bare table with the unique
indexes a contact has (primary key and uuid). Prints rows/s, seconds, the import's peak
memory, the COPY time and the ratio between them.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from _common import BENCH_DATABASE_URL, ROOT, bench_env, figure, fresh_database

FIRST = [
    "Marie",
    "Jean",
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Inès",
    "Noël",
    "Zoé",
    "Théo",
    "Anaïs",
    "Mohamed",
    "Fatima",
    "Yanis",
    "Camille",
    "Louis",
    "Emma",
    "Gabriel",
    "Jade",
    "Raphaël",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
    "Nguyen",
    "Diallo",
    "Traoré",
    "Da Silva",
    "Lopez",
]
STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "boulevard Gambetta",
    "place Bellecour",
    "rue Victor Hugo",
    "quai Perrache",
    "impasse des Lilas",
    "chemin du Moulin",
]
TOWNS = [
    ("69001", "Lyon"),
    ("69003", "Lyon"),
    ("69100", "Villeurbanne"),
    ("75011", "Paris"),
    ("75018", "Paris"),
    ("13001", "Marseille"),
    ("31000", "Toulouse"),
    ("59000", "Lille"),
]


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def generate(path: Path, rows: int, seed: int = 7) -> int:
    """Write the file; returns the number of physical lines written (header included)."""
    rng = random.Random(seed)
    previous: list[str] = []
    lines = 1
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(
            "Prénom;Nom;Email;Téléphone portable;Date de naissance;Adresse;Code postal;Ville\n"
        )
        for i in range(rows):
            if previous and rng.random() < 0.02:
                out.write(rng.choice(previous))  # the same person again
                lines += 1
                continue
            if rng.random() < 0.001:
                out.write(f"ligne cassée {i};;;\n")  # wrong number of fields
                lines += 1
                continue
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{_ascii(first)}.{_ascii(last)}.{i}@exemple.fr" if rng.random() < 0.85 else ""
            phone = ""
            if rng.random() < 0.75:
                d = f"{rng.choice('67')}{rng.randint(0, 99_999_999):08d}"
                phone = rng.choice(
                    [
                        f"0{d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}",
                        f"+33{d}",
                        f"0{d}",
                        f"+33 {d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:]}",
                        f"0{d[0]}.{d[1:3]}.{d[3:5]}.{d[5:7]}.{d[7:]}",
                    ]
                )
            born = (
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2006)}"
                if rng.random() < 0.6
                else ""
            )
            postal, town = rng.choice(TOWNS)
            line = f"{first};{last};{email};{phone};{born};{rng.randint(1, 150)} {rng.choice(STREETS)};{postal};{town}\n"
            out.write(line)
            lines += 1
            if len(previous) < 10_000:
                previous.append(line)
    return lines


def timed_import(path: Path) -> tuple[float, float, str]:
    """Seconds, peak memory (MB) and output of `manage.py import_contacts` in its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "import_contacts",
            str(path),
            "--source",
            "bench",
            "--no-duplicates",
        ],
        cwd=ROOT,
        env=bench_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"import failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


def well_formed(path: Path) -> Path:
    """A copy of the file without its broken lines, which would stop a COPY."""
    clean = path.with_suffix(".copy.csv")
    with path.open(encoding="utf-8") as src, clean.open("w", encoding="utf-8") as dst:
        for line in src:
            if line.count(";") == 7:
                dst.write(line)
    return clean


def timed_copy(path: Path) -> float:
    import psycopg2

    conn = psycopg2.connect(BENCH_DATABASE_URL)
    with conn, conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_copy")
        cursor.execute(
            "CREATE TABLE bench_bare_copy (id bigserial PRIMARY KEY, uuid uuid NOT NULL UNIQUE "
            "DEFAULT gen_random_uuid(), prenom text, nom text, email text, telephone text, "
            "naissance text, adresse text, code_postal text, ville text)"
        )
    clean = well_formed(path)
    started = time.perf_counter()
    with conn, conn.cursor() as cursor, clean.open(encoding="utf-8") as data:
        cursor.copy_expert(
            "COPY bench_bare_copy (prenom, nom, email, telephone, naissance, adresse, code_postal, ville) "
            "FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)",
            data,
        )
    seconds = time.perf_counter() - started
    conn.close()
    clean.unlink()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        generate(path, args.rows)
        print(f"file: {args.rows} rows, {path.stat().st_size / 1e6:.0f} MB")
        fresh_database()
        seconds, peak_mb, output = timed_import(path)
        print(output.strip().split("\n", 1)[1] if "\n" in output else output)
        copy_seconds = timed_copy(path)
    print(f"import: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s, peak {peak_mb:.0f} MB")
    print(f"raw COPY of the same rows: {copy_seconds:.1f} s; ratio {seconds / copy_seconds:.2f}")
    figure("import_vs_copy_ratio", seconds / copy_seconds)
    figure("import_rows_per_s", args.rows / seconds)
    figure("import_peak_mem_mb", peak_mb)
    figure("import_seconds", seconds)


if __name__ == "__main__":
    main()
