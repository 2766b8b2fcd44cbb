"""In the browser: upload a file, check its columns, start, follow the progress, read the report."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact, ImportJob

pytestmark = pytest.mark.django_db

FILE = "Prénom;Nom;Courriel;Colonne mystère;Lieu de naissance\nLéa;Garnier;lea@example.fr;vert;Alger\n;;;;\nX;;;;\n"


def upload(client, content=FILE, name="adherents.csv", **data):
    return client.post(
        reverse("contacts:import_new"),
        {
            "file": SimpleUploadedFile(name, content.encode("cp1252")),
            "source_detail": "",
            "tags": "",
            **data,
        },
    )


def test_upload_shows_the_columns_with_their_guessed_fields(client_as, admin_user):
    client = client_as(admin_user)
    response = upload(client, tags="adhérent, 2026")
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("contacts:import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.DRAFT
    assert job.tags == ["2026", "adhérent"]
    page = client.get(response["Location"])
    form = page.context["form"]
    assert [f.initial for _, f in form.columns()] == [
        "first_name",
        "last_name",
        "email",
        "ignore",
        "ignore",
    ]
    assert "Alger" not in [c[0] for c in form.fields["col_4"].choices]
    assert len(form.fields["col_4"].choices) == 1  # birthplace: nothing but "do not import"
    assert not Contact.objects.exists()  # nothing imported before the person confirms


def test_starting_with_a_corrected_mapping_imports_and_reports(
    client_as, admin_user, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(admin_user)
    upload(client)
    job = ImportJob.objects.get()
    url = reverse("contacts:import_detail", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "col_0": "first_name",
                "col_1": "last_name",
                "col_2": "email",
                "col_3": "custom:Colonne mystère",
                "col_4": "ignore",
            },
        )
    assert response.status_code == 302
    job.refresh_from_db()
    # The task ran when the start was committed (in-process here, a worker in production).
    assert job.status == ImportJob.Status.DONE
    lea = Contact.objects.get()
    assert lea.custom_fields == {"Colonne mystère": "vert"}
    report = client.get(url).content.decode()
    assert "1" in report and "adherents.csv" in report
    progress = client.get(reverse("contacts:import_progress", args=[job.pk])).json()
    assert (progress["status"], progress["progress"], progress["finished"]) == ("done", 100, True)


def test_the_rejected_lines_download_as_csv(
    client_as, admin_user, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(admin_user)
    upload(client)
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("contacts:import_detail", args=[job.pk]),
            {
                "col_0": "first_name",
                "col_1": "last_name",
                "col_2": "email",
                "col_3": "ignore",
                "col_4": "ignore",
            },
        )
    response = client.get(reverse("contacts:import_rejected", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    # First the columns left out that held data, then the lines.
    assert [row[:2] for row in rows[1:]] == [
        ["", "colonne non importée"],
        ["", "colonne non importée"],
        ["4", "rejet"],
    ]


def test_a_mapping_sending_two_columns_to_one_field_is_refused(client_as, admin_user):
    client = client_as(admin_user)
    upload(client)
    job = ImportJob.objects.get()
    response = client.post(
        reverse("contacts:import_detail", args=[job.pk]),
        {
            "col_0": "last_name",
            "col_1": "last_name",
            "col_2": "email",
            "col_3": "ignore",
            "col_4": "ignore",
        },
    )
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRAFT


def test_a_file_that_is_not_a_table_is_refused_next_to_the_field(client_as, admin_user):
    response = upload(client_as(admin_user), content="", name="vide.csv")
    assert response.status_code == 200
    assert 'id="id_file_error"' in response.content.decode()


def test_organizers_see_only_their_own_imports(
    client_as, admin_user, organizer_lyon, organizer_paris
):
    upload(client_as(organizer_lyon))
    job = ImportJob.objects.get()
    paris = client_as(organizer_paris)
    assert paris.get(reverse("contacts:import_detail", args=[job.pk])).status_code == 404
    assert "adherents.csv" not in paris.get(reverse("contacts:imports")).content.decode()
    assert (
        "adherents.csv" in client_as(admin_user).get(reverse("contacts:imports")).content.decode()
    )


def test_volunteers_cannot_import(client_as, volunteer):
    assert client_as(volunteer).get(reverse("contacts:import_new")).status_code == 403


def test_the_upload_page_tells_an_organizer_what_their_import_reaches(
    client_as, organizer_paris, admin_user
):
    def helps(user) -> int:
        page = client_as(user).get(reverse("contacts:import_new")).content.decode()
        return page.count('<p class="help">')

    # One more paragraph for an organizer: their import reaches their territories only.
    assert helps(organizer_paris) == helps(admin_user) + 1


@pytest.fixture
def paris_20e(organizer_paris):
    from campaign.models import Territory

    territory = Territory.objects.create(kind="commune", code="75120", name="Paris 20e")
    organizer_paris.territories.add(territory)
    return territory


def test_an_organizer_with_two_territories_chooses_where_lines_without_address_go(
    client_as, organizer_paris, paris_20e, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(organizer_paris)
    response = upload(
        client, "Prénom;Nom;Courriel\nInès;Roux;ines@example.fr\n", territory=paris_20e.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            response["Location"], {"col_0": "first_name", "col_1": "last_name", "col_2": "email"}
        )
    assert Contact.objects.get().insee_code == "75120"


def test_an_organizer_cannot_send_lines_to_another_territory(
    client_as, organizer_paris, paris_20e, lyon_1er
):
    response = upload(
        client_as(organizer_paris), "Nom;Courriel\nRoux;ines@example.fr\n", territory=lyon_1er.pk
    )
    assert response.status_code == 200
    assert 'id="id_territory_error"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_import_service_refuses_a_territory_that_is_not_the_organizers(
    organizer_paris, lyon_1er
):
    from django.core.files.base import ContentFile

    from campaign.exceptions import ApplicationError
    from contacts.imports.services import contact_import_create

    with pytest.raises(ApplicationError):
        contact_import_create(
            actor=organizer_paris,
            file=ContentFile(b"nom;email\nRoux;ines@example.fr\n"),
            original_name="a.csv",
            territory=lyon_1er,
        )
    assert not ImportJob.objects.exists()


def test_the_report_lists_a_phone_kept_as_typed_apart_from_the_values_left_out(
    client_as, admin_user, run_import
):
    job = run_import(
        "prenom;nom;email;telephone\nLéa;Garnier;pas-un-email;06 12\n", actor=admin_user
    )
    client = client_as(admin_user)
    report = client.get(reverse("contacts:import_detail", args=[job.pk])).content.decode()
    left_out = report.split("Valeurs écartées")[1].split("Gardés tels quels")[0]
    kept = report.split("Gardés tels quels")[1]
    assert "adresse e-mail invalide, écartée" in left_out
    assert "conservé tel que saisi" not in left_out
    assert "numéro de téléphone illisible, conservé tel que saisi" in kept
    download = client.get(reverse("contacts:import_rejected", args=[job.pk])).content.decode()
    assert "gardé tel que saisi" in download
