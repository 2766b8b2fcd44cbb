"""Real files: encodings, separators, blank lines, stray spaces, bad rows reported by line."""

import pytest

from contacts.models import Contact, ImportJob

pytestmark = pytest.mark.django_db

SIMPLE = (
    "Prénom;Nom;Email;Téléphone portable;Code postal;Ville\n"
    "Léa;Garnier;lea@example.fr;06 12 34 56 78;69001;Lyon\n"
    "Hugo;Lefèvre;hugo@example.fr;+33 7 98 76 54 32;75011;Paris\n"
)


def test_a_french_excel_csv_in_windows_1252_with_semicolons(run_import):
    job = run_import(SIMPLE, encoding="cp1252")
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 2
    lea = Contact.objects.get(last_name="Garnier")
    assert (lea.first_name, lea.commune, lea.source) == ("Léa", "Lyon", "import")
    assert lea.emails.get().address == "lea@example.fr"
    assert lea.phones.get().e164 == "+33612345678"


@pytest.mark.parametrize("bom", ["", "\ufeff"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_utf8_with_or_without_bom_and_any_separator(run_import, bom, separator):
    job = run_import(bom + SIMPLE.replace(";", separator))
    assert job.created_count == 2
    assert Contact.objects.filter(first_name="Léa", last_name="Garnier").exists()


def test_blank_lines_and_stray_spaces_are_harmless(run_import):
    text = "first_name,last_name,email\n\n  Léa , Garnier ,  LEA@Example.FR \n\n\n"
    job = run_import(text)
    assert job.created_count == 1 and job.rejected_count == 0
    assert Contact.objects.get().emails.get().address == "lea@example.fr"


def test_a_broken_row_is_reported_with_its_line_number(run_import):
    text = (
        "first_name;last_name;email\n"
        "Léa;Garnier;lea@example.fr\n"
        "Hugo;Lefèvre;hugo@example.fr;en trop;encore\n"
        "\n"
        "Nom seul;;\n"
    )
    job = run_import(text)
    assert job.created_count == 1
    assert job.rejected_count == 2
    assert [line for line, _reason in job.rejected] == [3, 5]
    assert "5 fields instead of 3" in job.rejected[0][1]


def test_bad_values_are_left_out_with_a_warning_and_an_unreadable_phone_kept_as_typed(
    run_import,
):
    text = "prenom;nom;email;telephone;date de naissance;code postal;adresse\n"
    text += "Léa;Garnier;pas-un-email;06 12;31/02/1990;69001;3 rue Neuve\n"
    job = run_import(text)
    assert job.created_count == 1
    lea = Contact.objects.get()
    assert lea.emails.count() == 0
    assert lea.birth_date is None
    assert lea.phones.get().raw == "06 12" and lea.phones.get().e164 == ""
    assert [line for line, _reason in job.warnings] == [2, 2]  # the email and the date
    assert len({reason for _line, reason in job.warnings}) == 2
    assert job.kept == [[2, "numéro de téléphone illisible, conservé tel que saisi"]]


def test_dates_in_french_order_and_postal_codes_that_lost_their_zero(run_import):
    text = "prenom;nom;date de naissance;code postal;adresse\nLéa;Garnier;05/03/1984;1000;3 rue Neuve\n"
    run_import(text)
    lea = Contact.objects.get()
    assert lea.birth_date.isoformat() == "1984-03-05"
    assert lea.postal_code == "01000"


def test_an_xlsx_file(run_import, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Prénom", "Nom", "Email", "Téléphone"])
    sheet.append(["Léa", "Garnier", "lea@example.fr", "0612345678"])
    sheet.append([None, None, None, None])
    sheet.append(["Hugo", "Lefèvre", "hugo@example.fr", 612345679])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    job = run_import(path.read_bytes(), name="contacts.xlsx")
    assert job.created_count == 2
    assert Contact.objects.get(last_name="Lefèvre").phones.get().e164 == "+33612345679"


def test_tags_and_source_apply_to_every_row(run_import):
    job = run_import(SIMPLE, source_detail="Fichier militants 2026", tags=["militant", "lyon"])
    lea = Contact.objects.get(last_name="Garnier")
    assert sorted(t.name for t in lea.tags.all()) == ["lyon", "militant"]
    assert lea.source_detail == "Fichier militants 2026"
    assert job.tags == ["lyon", "militant"]


def test_an_organizer_imports_only_rows_inside_their_territories(run_import, organizer_lyon):
    text = (
        "prenom;nom;email;code postal;code insee\n"
        "Léa;Garnier;lea@example.fr;69001;69381\n"
        "Hugo;Lefèvre;hugo@example.fr;75011;75111\n"
    )
    job = run_import(text, actor=organizer_lyon)
    assert job.created_count == 1
    assert [line for line, _reason in job.rejected] == [3]
    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Garnier"]
