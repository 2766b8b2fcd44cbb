"""Files that are too big once unpacked, broken, or made to hurt: each gets a clear answer (a
message next to the file field, or a line of the report), never a server error."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contacts.imports.reader import UnreadableFile
from contacts.models import Contact, ImportJob

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str):
    return client.post(
        reverse("contacts:import_new"),
        {"file": SimpleUploadedFile(name, content), "source_detail": "", "tags": ""},
    )


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_shared_strings(data: bytes, *, damaged_from: int) -> bytes:
    """The workbook as Excel writes it, its text in a shared strings part (openpyxl writes
    it inline), that part damaged from string number `damaged_from` on."""
    strings: list[str] = []

    def shared(match: re.Match) -> str:
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename).decode()
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    r'<c r="(\w+)" t="inlineStr"><is><t>(.*?)</t></is></c>', shared, content
                )
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            dst.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
        items = "".join(f"<si><t>{text}</t></si>" for text in strings[:damaged_from])
        dst.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + items
            + "<si><t>cassé",  # cut short: not XML any more
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


def field_error(response) -> str:
    assert response.status_code == 200
    match = re.search(r'id="id_file_error"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert match, "no error next to the file field"
    return match.group(1)


# XLSX: the unpacked size is checked first, and the request reads the first rows only.


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_at_upload(
    client_as, admin_user, settings
):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_MB = 1
    bomb = xlsx([["Nom", "Email"]] + [["x" * 1000 + str(i), ""] for i in range(2000)])
    assert len(bomb) < 300_000  # a small upload…
    error = field_error(upload(client_as(admin_user), bomb, "bombe.xlsx"))
    assert "XLSX" in error and "CSV" in error  # …refused for what it holds unpacked
    assert not ImportJob.objects.exists()


def test_an_xlsx_under_the_limit_is_accepted(client_as, admin_user, settings):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_MB = 1
    data = xlsx([["Nom", "Email"], ["Garnier", "lea@example.fr"]])
    assert upload(client_as(admin_user), data, "petit.xlsx").status_code == 302


def test_the_upload_reads_only_the_strings_of_the_first_rows(
    client_as, admin_user, eager_tasks, django_capture_on_commit_callbacks
):
    rows = [["Prénom", "Nom", "Email"]] + [
        [f"P{i}", f"N{i}", f"p{i}@example.fr"] for i in range(300)
    ]
    # The shared strings are damaged past the first rows' ones: reading them all would fail.
    data = with_shared_strings(xlsx(rows), damaged_from=300)
    client = client_as(admin_user)
    response = upload(client, data, "liste.xlsx")
    assert response.status_code == 302  # the upload did not read the whole file
    job = ImportJob.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    columns = page.context["form"].columns()
    assert [f.initial for _, f in columns] == ["first_name", "last_name", "email"]
    # The task runs in-process here, so its failure reaches the test; a worker logs it.
    with pytest.raises(UnreadableFile), django_capture_on_commit_callbacks(execute=True):
        client.post(
            response["Location"], {"col_0": "first_name", "col_1": "last_name", "col_2": "email"}
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED  # the worker read it all, and says why
    assert "XLSX" in job.error
    assert not Contact.objects.exists()


def test_a_file_named_xlsx_that_is_not_a_zip_is_refused_clearly(client_as, admin_user):
    error = field_error(upload(client_as(admin_user), b"Nom;Email\nGarnier;x\n", "faux.xlsx"))
    assert "XLSX" in error


def test_an_xlsx_with_an_empty_first_sheet_is_refused_clearly(client_as, admin_user):
    error = field_error(upload(client_as(admin_user), xlsx([]), "vide.xlsx"))
    assert error


# CSV cells longer than the csv module reads (131,072 characters).

LONG = "x" * 200_000


def test_a_cell_longer_than_the_csv_limit_rejects_its_line_with_the_number(run_import):
    job = run_import(
        "nom;email\nGarnier;lea@example.fr\nLefèvre;" + LONG + "\nRoux;ines@example.fr\n"
    )
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 2
    assert [line for line, _reason in job.rejected] == [3]
    assert "131072" in job.rejected[0][1]


def test_a_long_cell_in_the_first_rows_leaves_the_import_page_working(client_as, admin_user):
    client = client_as(admin_user)
    response = upload(
        client, ("nom;email\nGarnier;lea@example.fr\nRoux;" + LONG + "\n").encode(), "long.csv"
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_long_cell_on_the_first_line_is_refused_at_upload(client_as, admin_user):
    error = field_error(upload(client_as(admin_user), (LONG + ";email\n").encode(), "long.csv"))
    assert "131072" in error
    assert not ImportJob.objects.exists()


# Other tools' exports and hostile files.


def test_nul_bytes_after_the_start_reject_their_line(run_import):
    job = run_import(
        "nom;email\n" + "Garnier;lea@example.fr\n" * 300 + "Ro\x00ux;ines@example.fr\n"
    )
    assert job.status == ImportJob.Status.DONE
    assert [line for line, _reason in job.rejected] == [302]
    assert "NUL" in job.rejected[0][1]


def test_a_binary_file_is_refused_at_upload(client_as, admin_user):
    error = field_error(upload(client_as(admin_user), b"\x00\x01\x02binary" * 100, "x.csv"))
    assert "CSV" in error


def test_excels_unicode_text_export_in_utf16_is_read(run_import):
    text = "Prénom\tNom\tEmail\nLéa\tGarnier\tlea@example.fr\n"
    job = run_import(text.encode("utf-16"), name="export.txt")
    assert job.created_count == 1
    assert Contact.objects.get().first_name == "Léa"


def test_a_bom_before_the_first_column_name_is_not_part_of_it(run_import):
    job = run_import("\ufeffemail;nom\nlea@example.fr;Garnier\n")
    assert job.mapping["email"] == "email"
    assert job.created_count == 1


def test_bytes_windows_1252_leaves_undefined_do_not_break_the_import(run_import):
    job = run_import(b"nom;email\nGar\x81nier;lea@example.fr\n")
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 1


def test_a_one_column_file_of_emails_is_imported(run_import):
    job = run_import("email\nlea@example.fr\nhugo@example.fr\n")
    assert job.created_count == 2


def test_a_one_column_file_of_anything_else_cannot_be_started(client_as, admin_user):
    client = client_as(admin_user)
    response = upload(client, b"remarque\nbonjour\nau revoir\n", "notes.csv")
    response = client.post(response["Location"], {"col_0": "ignore"})
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.DRAFT


def test_a_file_with_only_column_names_is_refused_at_upload(client_as, admin_user):
    error = field_error(upload(client_as(admin_user), b"nom;email\n\n\n", "vide.csv"))
    assert error
    assert not ImportJob.objects.exists()


def test_a_blank_line_after_the_column_names_does_not_hide_the_rows(client_as, admin_user):
    response = upload(client_as(admin_user), b"nom;email\n\nGarnier;lea@example.fr\n", "a.csv")
    assert response.status_code == 302


def test_formula_cells_are_kept_as_text_never_computed(run_import):
    job = run_import('nom;email\n"=HYPERLINK(""http://evil"",""x"")";lea@example.fr\n')
    assert job.created_count == 1
    assert Contact.objects.get().last_name == '=HYPERLINK("http://evil","x")'


def test_xlsx_formula_cells_give_their_saved_value_or_nothing(run_import):
    data = xlsx([["Nom", "Prénom", "Email"], ["Garnier", "=1+1", "lea@example.fr"]])
    job = run_import(data, name="formules.xlsx")  # saved by a library: no computed value
    assert job.created_count == 1
    assert Contact.objects.get().first_name == ""


def sparse_sheet(data: bytes, *, last_row: int, last_column: str) -> bytes:
    """The sheet claims to span `last_column``last_row` and has a cell there, far from the
    rest: read naively, every row in between becomes thousands of empty cells."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename).decode()
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    r'<dimension ref="[^"]*"',
                    f'<dimension ref="A1:{last_column}{last_row}"',
                    content,
                )
                content = content.replace(
                    "</sheetData>",
                    f'<row r="{last_row}"><c r="{last_column}{last_row}" t="inlineStr">'
                    "<is><t>loin</t></is></c></row></sheetData>",
                )
            dst.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_sheet_claiming_a_million_rows_and_columns_reads_only_what_it_holds(run_import):
    data = sparse_sheet(
        xlsx([["Nom", "Email"], ["Garnier", "lea@example.fr"]]),
        last_row=1_048_576,
        last_column="XFD",
    )
    job = run_import(data, name="creux.xlsx")
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.rejected_count) == (1, 0)  # the far row is empty in A:B


def test_a_file_with_thousands_of_columns_is_refused_at_upload(client_as, admin_user):
    wide = ";".join(f"c{i}" for i in range(5000)) + "\n" + ";".join("x" * 5000) + "\n"
    error = field_error(upload(client_as(admin_user), wide.encode(), "large.csv"))
    assert "1000" in error
    assert not ImportJob.objects.exists()


def test_a_quote_left_open_is_reported_where_it_starts(run_import):
    rows = "".join(f"P{i};p{i}@example.fr\n" for i in range(5))
    job = run_import('nom;email\nGarnier;lea@example.fr\n"Roux;ines@example.fr\n' + rows)
    assert job.created_count == 1
    assert [line for line, _reason in job.rejected] == [3]
    assert re.search(r"\b3\b\D+\b8\b", job.rejected[0][1])  # "… lines 3 to 8 …"


def test_an_old_xls_file_is_refused_with_what_to_do(client_as, admin_user):
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    error = field_error(upload(client_as(admin_user), xls, "liste.xls"))
    assert ".xls" in error and "CSV" in error


def test_an_opendocument_spreadsheet_is_refused_with_what_to_do(client_as, admin_user):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content/>")
    error = field_error(upload(client_as(admin_user), out.getvalue(), "liste.ods"))
    assert ".ods" in error and "CSV" in error


def test_an_xlsx_with_a_huge_stylesheet_is_refused_before_it_is_parsed(client_as, admin_user):
    data = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx([["Nom"], ["Garnier"]]))) as src,
        zipfile.ZipFile(data, "w") as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                content = content.replace(b"<fonts", b"<!--" + b" " * 25_000_000 + b"--><fonts", 1)
            dst.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    error = field_error(upload(client_as(admin_user), data.getvalue(), "styles.xlsx"))
    assert "xl/styles.xml" in error
