"""With no email provider (the embedded default), each message is printed on the console and
kept for a week in MEDIA_ROOT/outbox/, where staff read it at /emails/outbox/: newest first,
its headers, its text, and its HTML in a sandboxed frame that runs none of its scripts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from actions.emails import outbox
from actions.emails.outbox import outbox_keep, outbox_page, outbox_prune


@pytest.fixture
def embedded_outbox(settings, tmp_path):
    """The embedded default's backend, writing into this test's own media folder."""
    settings.EMAIL_BACKEND = "actions.emails.backends.OutboxBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OUTBOX_KEEP_DAYS = 7
    return tmp_path / "media" / "outbox"


def send_invitation(to="lea@example.fr", subject="Réunion samedi", html=None):
    message = EmailMultiAlternatives(subject, "Venez samedi à 10 h.", to=[to])
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


def test_a_message_sent_is_printed_on_the_console_and_kept_as_an_eml_file(embedded_outbox, capsys):
    send_invitation()

    assert "Subject: =?utf-8?q?R=C3=A9union_samedi?=" in capsys.readouterr().out
    [kept] = embedded_outbox.glob("*.eml")
    assert b"lea@example.fr" in kept.read_bytes()


def test_the_embedded_default_needs_no_environment(settings):
    assert settings.EMAIL_PROVIDER == ""
    assert settings.OUTBOX_KEEP_DAYS == 7


def test_staff_see_the_outbox_newest_first_with_subject_and_recipient(
    embedded_outbox, client_as, organizer_lyon
):
    send_invitation(to="lea@example.fr", subject="Première")
    send_invitation(to="hugo@example.fr", subject="Seconde")

    response = client_as(organizer_lyon).get("/emails/outbox/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Seconde") < html.index("Première")
    assert "hugo@example.fr" in html


def test_dates_are_shown_in_the_campaigns_time_zone(embedded_outbox, client_as, admin_user):
    # Django dates messages in UTC, written "-0000".
    outbox_keep(raw=b"Date: Thu, 03 Dec 2026 20:13:19 -0000\nSubject: Hiver\n\nx\n")

    response = client_as(admin_user).get("/emails/outbox/")

    assert "03/12/2026 21:13" in response.content.decode()


def test_the_outbox_shows_fifty_messages_a_page(embedded_outbox, client_as, admin_user):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for n in range(51):
        raw = f"Subject: Message {n:02d}\nTo: x@example.fr\n\nCorps\n".encode()
        outbox_keep(raw=raw, now=start + timedelta(seconds=n))

    first = client_as(admin_user).get("/emails/outbox/", {"page": 1})
    second = client_as(admin_user).get("/emails/outbox/", {"page": 2})

    assert first.context["page"].has_next
    assert [e.subject for e in first.context["page"].items][:2] == ["Message 50", "Message 49"]
    assert [e.subject for e in second.context["page"].items] == ["Message 00"]
    assert not second.context["page"].has_next


def test_one_message_shows_its_headers_its_text_and_frames_its_html(
    embedded_outbox, client_as, organizer_lyon
):
    send_invitation(html="<p>Venez <strong>samedi</strong></p><script>alert(1)</script>")
    [entry] = outbox_page(number=1).items

    page = client_as(organizer_lyon).get(f"/emails/outbox/{entry.id}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Venez samedi à 10 h." in html
    assert "lea@example.fr" in html and "Content-Type" in html
    assert "alert(1)" not in html  # the HTML is never inlined in the staff page
    frame = re.search(r"<iframe[^>]*>", html).group(0)
    assert 'sandbox=""' in frame
    assert f'src="/emails/outbox/{entry.id}/html/"' in frame


def test_the_html_part_is_served_sandboxed_so_its_scripts_never_run(
    embedded_outbox, client_as, organizer_lyon
):
    send_invitation(html="<p>Venez</p><script>alert(1)</script>")
    [entry] = outbox_page(number=1).items

    response = client_as(organizer_lyon).get(f"/emails/outbox/{entry.id}/html/")

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" in response.content  # shown as sent, never run
    policy = [p.strip() for p in response.headers["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_a_text_only_message_has_no_html_page(embedded_outbox, client_as, organizer_lyon):
    send_invitation()
    [entry] = outbox_page(number=1).items

    assert client_as(organizer_lyon).get(f"/emails/outbox/{entry.id}/html/").status_code == 404
    assert b"<iframe" not in client_as(organizer_lyon).get(f"/emails/outbox/{entry.id}/").content


@pytest.mark.parametrize("message_id", ["..%2F..%2Fsettings", "20261201T090000000000-zzzzzzzz"])
def test_anything_but_a_kept_message_id_is_not_found(
    embedded_outbox, client_as, organizer_lyon, message_id
):
    response = client_as(organizer_lyon).get(f"/emails/outbox/{message_id}/")

    assert response.status_code == 404


def test_volunteers_cannot_read_the_outbox(embedded_outbox, client_as, volunteer):
    send_invitation()
    [entry] = outbox_page(number=1).items

    for url in ["/emails/outbox/", f"/emails/outbox/{entry.id}/"]:
        assert client_as(volunteer).get(url).status_code == 403


def test_visitors_are_sent_to_the_login_page(embedded_outbox, client):
    response = client.get("/emails/outbox/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_messages_older_than_the_keeping_days_are_deleted(embedded_outbox):
    now = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
    old = outbox_keep(raw=b"Subject: Vieux\n\nx\n", now=now - timedelta(days=7, minutes=1))
    recent = outbox_keep(raw=b"Subject: Recent\n\nx\n", now=now - timedelta(days=6))

    deleted = outbox_prune(now=now)

    assert deleted == 1
    assert [p.stem for p in embedded_outbox.glob("*.eml")] == [recent]
    assert not (embedded_outbox / f"{old}.eml").exists()


def test_writing_a_message_deletes_the_expired_ones(embedded_outbox, monkeypatch):
    expired = outbox_keep(raw=b"Subject: Vieux\n\nx\n", now=datetime(2020, 1, 1, tzinfo=UTC))
    monkeypatch.setattr(outbox, "_last_prune", {})  # the process has not looked yet

    send_invitation()

    ids = [p.stem for p in embedded_outbox.glob("*.eml")]
    assert len(ids) == 1
    assert expired not in ids


def test_an_empty_outbox_says_so(embedded_outbox, client_as, organizer_lyon):
    response = client_as(organizer_lyon).get("/emails/outbox/")

    assert response.status_code == 200
    assert response.context["page"].items == []
    assert "Aucun e-mail envoyé pour l’instant." in response.content.decode()
    assert mail.outbox == []
