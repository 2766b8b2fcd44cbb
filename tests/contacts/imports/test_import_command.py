"""`manage.py import_contacts` imports a file and prints the same report as the browser."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact

pytestmark = pytest.mark.django_db


def test_the_command_imports_and_reports(tmp_path):
    path = tmp_path / "adherents.csv"
    path.write_text(
        "Prénom;Nom;Email;Portable\nLéa;Garnier;lea@example.fr;0612345678\n;;;\nX;;;\n",
        encoding="utf-8",
    )
    rejected = tmp_path / "rejected.csv"
    out = StringIO()
    call_command(
        "import_contacts",
        str(path),
        "--source",
        "Adhérents 2026",
        "--tag",
        "adhérent",
        "--rejected-csv",
        str(rejected),
        stdout=out,
    )
    report = out.getvalue()
    assert "Created: 1" in report
    assert "Rejected: 1" in report
    assert "line 4:" in report
    assert rejected.read_text().splitlines()[1].startswith("4,")
    lea = Contact.objects.get()
    assert lea.source_detail == "Adhérents 2026"
    assert [t.name for t in lea.tags.all()] == ["adhérent"]


def test_a_mapping_given_as_json_overrides_the_guess(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("col1,col2,col3\nLéa,Garnier,lea@example.fr\n", encoding="utf-8")
    call_command(
        "import_contacts",
        str(path),
        "--mapping",
        '{"col1": "first_name", "col2": "last_name", "col3": "email"}',
        stdout=StringIO(),
    )
    assert Contact.objects.get().emails.get().address == "lea@example.fr"


def test_a_wrong_mapping_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="champ inconnu shoe_size"):
        call_command(
            "import_contacts", str(path), "--mapping", '{"a": "shoe_size"}', stdout=StringIO()
        )
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_contacts", str(tmp_path / "missing.csv"), stdout=StringIO())
