"""Every email is rendered from a subject, a preheader and a Markdown body with merge fields
into the branded HTML part and a readable text part; what the recipient's record holds is
text, never markup."""

import pytest

from campaign.mail.rendering import (
    Attachment,
    Footer,
    MergeFieldError,
    email_message,
    email_render,
    merge_fields_check,
)
from tests.mail_parts import parsed

LEA = {"first_name": "Léa", "last_name": "Garnier", "commune": "Lyon"}


def test_french_and_english_merge_fields_are_filled_in_both_parts():
    rendered = email_render(
        subject="{prenom}, Lyon compte sur vous",
        preheader="Bonjour {first_name}",
        body="Bonjour **{prenom} {nom}** de {commune}, alias {first_name} {last_name} de {town}.",
        person=LEA,
    )

    assert rendered.subject == "Léa, Lyon compte sur vous"
    assert "Bonjour Léa Garnier de Lyon, alias Léa Garnier de Lyon." in rendered.text
    assert "<strong>Léa Garnier</strong> de Lyon, alias Léa Garnier de Lyon." in rendered.html


def test_a_missing_value_renders_empty_never_as_the_field():
    rendered = email_render(
        subject="Bonjour {prenom}",
        body="Bonjour {prenom}, de {commune} ou d'ailleurs {nom}.",
        person={"first_name": ""},
    )

    assert rendered.subject == "Bonjour"
    assert "{prenom}" not in rendered.text + rendered.html
    assert "{commune}" not in rendered.text + rendered.html
    assert rendered.text.startswith("Bonjour, de ou d'ailleurs.\n")
    assert "<p>Bonjour, de  ou d'ailleurs.</p>" in rendered.html


def test_an_unknown_merge_field_is_an_error_naming_it_before_anything_is_sent():
    with pytest.raises(MergeFieldError) as raised:
        email_render(subject="Hi {surname}", body="Bonjour {prenom}, {age} ans", person=LEA)

    assert raised.value.unknown == ["age", "surname"]
    assert "{age}, {surname}" in raised.value.message


def test_the_compose_check_accepts_the_contact_fields_and_the_callers_own():
    merge_fields_check("Bonjour {prenom} {nom} {commune} {city}", "[x]({link})", extra=["link"])

    with pytest.raises(MergeFieldError):
        merge_fields_check("[x]({link})")


def test_a_contact_named_like_markup_is_shown_as_text():
    person = {"first_name": "<script>alert(1)</script>", "last_name": "*Bob*", "commune": "{nom}"}

    rendered = email_render(
        subject="Bonjour {prenom}", body="Bonjour {prenom} {nom} {commune}", person=person
    )

    assert "&lt;script&gt;alert(1)&lt;/script&gt; *Bob* {nom}" in rendered.html
    assert "<script>" not in rendered.html
    assert "Bonjour <script>alert(1)</script> *Bob* {nom}" in rendered.text


def test_the_body_markdown_is_cleaned_of_scripts_and_unsafe_links():
    rendered = email_render(
        subject="s",
        body="[ok](https://example.fr) [ko](javascript:alert(1)) <script>alert(2)</script>",
    )

    assert '<a href="https://example.fr"' in rendered.html
    assert "javascript:" not in rendered.html
    assert "alert(2)" not in rendered.html


def test_the_text_part_writes_every_link_out_and_keeps_lists_readable():
    rendered = email_render(
        subject="s",
        body="Signez [la pétition](https://example.fr/p/eau/).\n\n- un\n- deux\n\n[{link}]({link})",
        extra={"link": "https://example.fr/c/1?a=1&b=2"},
    )

    assert "Signez la pétition (https://example.fr/p/eau/)." in rendered.text
    assert "- un\n- deux" in rendered.text
    assert "\nhttps://example.fr/c/1?a=1&b=2\n" in rendered.text
    assert 'href="https://example.fr/c/1?a=1&amp;b=2"' in rendered.html


def test_the_html_part_is_branded_responsive_and_hides_its_preheader(settings):
    settings.MAIL_BRAND_NAME = "Garnier 2026"
    settings.MAIL_BRAND_COLOUR = "#123456"

    rendered = email_render(subject="s", preheader="Deux minutes pour signer", body="Corps")

    assert "Garnier 2026" in rendered.html
    assert "background:#123456" in rendered.html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in rendered.html
    assert "@media only screen and (max-width: 620px)" in rendered.html
    assert 'class="preheader" style="display:none;' in rendered.html
    assert "Deux minutes pour signer" in rendered.html
    assert "Deux minutes pour signer" not in rendered.text


def test_the_footer_gives_the_unsubscribe_link_and_the_senders_address(settings):
    settings.MAIL_POSTAL_ADDRESS = "1 place Bellecour, 69002 Lyon"

    rendered = email_render(
        subject="s",
        body="b",
        footer=Footer(reason="Vous avez signé.", unsubscribe_url="https://example.fr/u/abc/"),
    )

    assert '<a href="https://example.fr/u/abc/"' in rendered.html
    assert "1 place Bellecour, 69002 Lyon" in rendered.html
    footer = rendered.text.split("\n-- \n")[1]
    assert "Vous avez signé." in footer
    assert "https://example.fr/u/abc/" in footer
    assert "1 place Bellecour, 69002 Lyon" in footer


def test_the_message_carries_both_parts_the_headers_and_the_attachments():
    message = email_message(
        to=["lea@example.fr"],
        subject="Bonjour {prenom}",
        preheader="p",
        body="Bonjour {prenom}",
        person=LEA,
        from_email="Campagne <campagne@example.fr>",
        headers={"List-Unsubscribe": "<https://example.fr/u/abc/>", "Feedback-ID": "1:blast"},
        attachments=[Attachment("recu.pdf", b"%PDF-1.4 test", "application/pdf")],
    )

    sent = parsed(message)

    assert sent.headers["Subject"] == "Bonjour Léa"
    assert sent.headers["To"] == "lea@example.fr"
    assert sent.headers["List-Unsubscribe"] == "<https://example.fr/u/abc/>"
    assert sent.headers["Feedback-ID"] == "1:blast"
    assert sent.text.startswith("Bonjour Léa")
    assert "<p>Bonjour Léa</p>" in sent.html
    assert sent.attachments == {"recu.pdf": ("application/pdf", b"%PDF-1.4 test")}


def test_a_subject_stays_on_one_line_whatever_a_value_holds():
    rendered = email_render(
        subject="Signez : {petition}", body="b", extra={"petition": "Eau\nBcc: x@example.org"}
    )

    assert rendered.subject == "Signez : Eau Bcc: x@example.org"
