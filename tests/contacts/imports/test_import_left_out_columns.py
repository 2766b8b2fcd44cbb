"""What an import leaves out: the mapping page lists the columns not imported with their first
values, one box keeps them all as custom fields, and the report names those that held data."""

import csv
import functools
import io
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from contacts.imports import run
from contacts.imports.reader import iter_table
from contacts.models import Contact, ImportJob, Suppression
from contacts.privacy.services import suppression_digest

pytestmark = pytest.mark.django_db

FILE = (
    "Prénom;Nom;Courriel;Pointure;Remarque;Lieu de naissance\n"
    "Léa;Garnier;lea@example.fr;38;;Alger\n"
    "Marc;Roux;marc@example.fr;44;;Oran\n"
)


def upload(client, content=FILE, name="adherents.csv"):
    response = client.post(
        reverse("contacts:import_new"),
        {"file": SimpleUploadedFile(name, content.encode()), "source_detail": "", "tags": ""},
    )
    return response["Location"]


def listed_as_left_out(page: str) -> dict[str, str]:
    """{column: what the list says of it} for the columns the "not imported" list shows."""
    box = page.split('id="left-out"')[1].split("</fieldset>")[0]
    items = re.findall(r"<li data-column=[^>]*?(hidden)?>(.*?)</li>", box, re.S)
    shown = {}
    for hidden, text in items:
        if not hidden:
            header, _, said = re.sub(r"<[^>]+>", "", text).partition("—")
            shown[header.strip()] = " ".join(said.split())
    return shown


def test_the_mapping_page_lists_the_columns_left_out_with_their_first_values(client_as, admin_user):
    client = client_as(admin_user)
    page = client.get(upload(client)).content.decode()
    assert listed_as_left_out(page) == {
        "Pointure": "38 · 44",
        "Remarque": "vide dans les premières lignes",
        "Lieu de naissance": "jamais importée, selon la loi (lieu de naissance, nationalité, religion ou origine ethnique)",
    }


def test_without_javascript_the_list_follows_the_choices_and_starts_nothing(client_as, admin_user):
    client = client_as(admin_user)
    url = upload(client)
    page = client.post(
        url,
        {
            "col_0": "ignore",
            "col_1": "last_name",
            "col_2": "email",
            "col_3": "custom:Pointure",
            "col_4": "ignore",
            "col_5": "ignore",
            "refresh": "1",
        },
    ).content.decode()
    assert list(listed_as_left_out(page)) == ["Prénom", "Remarque", "Lieu de naissance"]
    assert ImportJob.objects.get().status == ImportJob.Status.DRAFT


def test_the_page_names_the_tool_a_file_comes_from(client_as, admin_user):
    client = client_as(admin_user)
    exported = (
        "nationbuilder_id,first_name,last_name,email,mobile_number,primary_address1,tag_list\n"
        "12,Léa,Garnier,lea@example.fr,06 12 34 56 78,12 rue des Lilas,bénévole\n"
    )
    assert "Reconnu : export NationBuilder" in client.get(upload(client, exported)).content.decode()
    assert "Reconnu" not in client.get(upload(client)).content.decode()


def test_one_box_keeps_every_other_column_as_a_custom_field(
    client_as, admin_user, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(admin_user)
    url = upload(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "col_0": "first_name",
                "col_1": "last_name",
                "col_2": "email",
                "col_3": "ignore",
                "col_4": "ignore",
                "col_5": "ignore",
                "keep_others": "on",
            },
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert job.mapping["Pointure"] == "custom:Pointure"
    assert job.mapping["Lieu de naissance"] == "ignore"  # by law, whatever the box says
    assert Contact.objects.get(emails__address="lea@example.fr").custom_fields == {"Pointure": "38"}


def test_the_report_names_a_column_left_out_that_held_data_and_not_an_empty_one(
    client_as, admin_user, run_import
):
    job = run_import(FILE, actor=admin_user)
    client = client_as(admin_user)
    page = client.get(reverse("contacts:import_detail", args=[job.pk])).content.decode()
    assert (
        "Colonne « Pointure » non importée : 2 lignes avaient une valeur, "
        "par ex. « 38 », « 44 »." in page
    )
    assert "Colonne « Remarque »" not in page
    download = client.get(reverse("contacts:import_rejected", args=[job.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(download.lstrip("\ufeff"))))
    assert [row[2] for row in rows[1:]] == [
        "Colonne « Pointure » non importée : 2 lignes avaient une valeur, par ex. « 38 », « 44 ».",
        "Colonne « Lieu de naissance » non importée : 2 lignes avaient une valeur.",
    ]


def test_a_forbidden_column_is_counted_but_its_values_are_never_kept(run_import):
    job = run_import(FILE)
    assert ["Lieu de naissance", 2, []] in job.ignored
    assert "Alger" not in str(job.ignored)


def test_the_count_runs_over_every_chunk_and_keeps_three_distinct_values(run_import, monkeypatch):
    monkeypatch.setattr(run, "iter_table", functools.partial(iter_table, chunk_rows=2))
    sizes = ["42", "42", "", "43", "44", "45"]
    lines = [f"Nom{i};n{i}@example.fr;{size}" for i, size in enumerate(sizes)]
    job = run_import("Nom;Courriel;Pointure\n" + "\n".join(lines) + "\n")
    assert job.ignored == [["Pointure", 5, ["42", "43", "44"]]]


def test_a_person_erased_at_their_request_leaves_no_value_in_the_report(run_import):
    Suppression.objects.create(
        digest=suppression_digest(Suppression.Kind.EMAIL, "lea@example.fr"),
        kind=Suppression.Kind.EMAIL,
    )
    job = run_import(FILE)
    assert ["Pointure", 1, ["44"]] in job.ignored


def test_the_command_keeps_other_columns_and_prints_those_left_out(tmp_path):
    path = tmp_path / "adherents.csv"
    path.write_text(FILE, encoding="utf-8")
    out = StringIO()
    call_command("import_contacts", str(path), "--keep-other-columns", stdout=out)
    assert Contact.objects.get(emails__address="marc@example.fr").custom_fields == {
        "Pointure": "44"
    }
    assert "Lieu de naissance" in out.getvalue()
    assert "Pointure" not in out.getvalue().split("Rows read")[1]
