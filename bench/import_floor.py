"""The least any contacts import can take: the file's rows written, with no reading,
cleaning, matching or history, into tables shaped and indexed like Terrain's contacts,
emails and phones, against issue 3's baseline (the same rows COPYed into a bare table with
two unique indexes).

    .venv/bin/python bench/import_floor.py [--rows 1000000]

In one transaction: COPY the file into a scratch table, then one INSERT … SELECT each into
copies of contacts_contact, contacts_contactemail and contacts_contactphone made with
CREATE TABLE … (LIKE … INCLUDING ALL): the same columns and indexes (twelve on a contact,
four on an email, three on a phone), the values copied as they are. A real import does
all of this and more, so its ratio to the baseline cannot be below this one's.
"""

import argparse
import tempfile
import time
from pathlib import Path

from _common import BENCH_DATABASE_URL, figure, fresh_database
from import_contacts import generate, timed_copy, well_formed

FLOOR = [
    "CREATE TEMP TABLE floor_raw (n bigserial, prenom text, nom text, email text, "
    "telephone text, naissance text, adresse text, code_postal text, ville text)",
    "COPY floor_raw (prenom, nom, email, telephone, naissance, adresse, code_postal, ville) "
    "FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)",
    "CREATE TABLE floor_contact (LIKE contacts_contact INCLUDING ALL)",
    "CREATE TABLE floor_email (LIKE contacts_contactemail INCLUDING ALL)",
    "CREATE TABLE floor_phone (LIKE contacts_contactphone INCLUDING ALL)",
    "INSERT INTO floor_contact (id, uuid, first_name, last_name, first_name_key, "
    "last_name_key, street, postal_code, commune, commune_key, insee_code, bureau_code, "
    "bureau_label, custom_fields, source, source_detail, source_at, created_at, updated_at, "
    "identity_key) SELECT n, gen_random_uuid(), left(prenom, 150), left(nom, 150), "
    "lower(left(prenom, 150)), lower(left(nom, 150)), left(adresse, 255), "
    "left(code_postal, 10), left(ville, 150), lower(left(ville, 150)), '', '', '', '{}', "
    "'import', 'bench', now(), now(), now(), '' FROM floor_raw",
    "INSERT INTO floor_email (address, is_primary, contact_id) "
    "SELECT lower(left(email, 254)), true, n FROM floor_raw WHERE email <> ''",
    "INSERT INTO floor_phone (raw, e164, kind, is_primary, contact_id, sms_blocked) "
    "SELECT left(telephone, 64), left(telephone, 20), 'mobile', true, n, '' "
    "FROM floor_raw WHERE telephone <> ''",
]


def timed_floor(path: Path) -> float:
    import psycopg2

    clean = well_formed(path)
    conn = psycopg2.connect(BENCH_DATABASE_URL)
    started = time.perf_counter()
    with conn, conn.cursor() as cursor:
        for statement in FLOOR:
            if statement.startswith("COPY"):
                with clean.open(encoding="utf-8") as data:
                    cursor.copy_expert(statement, data)
            else:
                cursor.execute(statement)
    seconds = time.perf_counter() - started
    with conn, conn.cursor() as cursor:
        cursor.execute("DROP TABLE floor_contact, floor_email, floor_phone")
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
        fresh_database()
        copy_seconds = timed_copy(path)
        floor_seconds = timed_floor(path)
    print(f"baseline, a bare COPY of {args.rows} rows: {copy_seconds:.1f} s")
    print(
        f"floor, the rows written as they are into tables indexed like a contact's: "
        f"{floor_seconds:.1f} s, {floor_seconds / copy_seconds:.2f} times the baseline"
    )
    figure("import_floor_vs_copy_ratio", floor_seconds / copy_seconds)
    figure("import_floor_seconds", floor_seconds)


if __name__ == "__main__":
    main()
