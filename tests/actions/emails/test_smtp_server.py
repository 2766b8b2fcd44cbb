"""The test SMTP server receives what Django sends over real SMTP, parsed, and counts the
connections: three messages sent on one connection arrive as three over one."""

import smtplib
import time

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, get_connection, send_mass_mail


def test_send_mass_mail_arrives_as_three_parsed_messages_over_one_connection(smtp_server):
    sent = send_mass_mail(
        [
            ("Bonjour Léa", "Merci d'avoir signé.", "Terrain <equipe@terrain.example>", [to])
            for to in ["lea@example.fr", "hugo@example.fr", "ines@example.fr"]
        ]
    )

    assert sent == 3
    assert smtp_server.connections == 1
    assert [m.envelope_to for m in smtp_server.messages] == [
        ["lea@example.fr"],
        ["hugo@example.fr"],
        ["ines@example.fr"],
    ]
    first = smtp_server.messages[0].message
    assert first["Subject"] == "Bonjour Léa"
    assert first["From"].addresses[0].addr_spec == "equipe@terrain.example"
    assert first.get_content().strip() == "Merci d'avoir signé."


def test_one_open_connection_sends_each_message_without_reconnecting(smtp_server):
    with get_connection() as connection:
        for n in range(3):
            mail.EmailMessage(
                f"Message {n}", "Corps", to=["lea@example.fr"], connection=connection
            ).send()

    assert [m.message["Subject"] for m in smtp_server.messages] == [
        "Message 0",
        "Message 1",
        "Message 2",
    ]
    assert smtp_server.connections == 1


def test_a_connection_per_send_is_counted_as_such(smtp_server):
    for n in range(2):
        mail.send_mail(f"Message {n}", "Corps", None, ["lea@example.fr"])

    assert smtp_server.connections == 2


def test_both_parts_of_a_message_arrive_and_are_read_back(smtp_server):
    message = EmailMultiAlternatives("Invitation", "Venez samedi.", to=["lea@example.fr"])
    message.attach_alternative("<p>Venez <strong>samedi</strong>.</p>", "text/html")
    message.send()

    [received] = smtp_server.messages
    assert received.message.get_body(("plain",)).get_content().strip() == "Venez samedi."
    assert "<strong>samedi</strong>" in received.message.get_body(("html",)).get_content()


def test_a_recipient_refused_for_good_gets_a_5xx(smtp_server):
    smtp_server.refuse("parti@example.fr", permanent=True)

    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        mail.send_mail("Bonjour", "Corps", None, ["parti@example.fr"])

    assert refused.value.recipients["parti@example.fr"][0] == 550
    assert smtp_server.messages == []


def test_a_recipient_refused_for_now_gets_a_4xx_and_is_taken_once_accepted(smtp_server):
    smtp_server.refuse("plein@example.fr", permanent=False)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        mail.send_mail("Bonjour", "Corps", None, ["plein@example.fr"])
    assert refused.value.recipients["plein@example.fr"][0] == 451

    smtp_server.accept("plein@example.fr")
    mail.send_mail("Bonjour", "Corps", None, ["plein@example.fr"])

    assert [m.envelope_to for m in smtp_server.messages] == [["plein@example.fr"]]


def test_a_refused_recipient_does_not_stop_the_others_of_the_message(smtp_server):
    smtp_server.refuse("parti@example.fr", permanent=True)

    mail.send_mail("Bonjour", "Corps", None, ["parti@example.fr", "lea@example.fr"])

    assert [m.envelope_to for m in smtp_server.messages] == [["lea@example.fr"]]


def test_latency_holds_each_message_that_long(smtp_server):
    smtp_server.latency = 0.2
    started = time.monotonic()

    send_mass_mail(
        [("Un", "Corps", None, ["a@example.fr"]), ("Deux", "Corps", None, ["b@example.fr"])]
    )

    assert time.monotonic() - started >= 0.4
    assert len(smtp_server.messages) == 2


def test_wait_for_gives_up_naming_what_arrived(smtp_server):
    mail.send_mail("Un", "Corps", None, ["a@example.fr"])

    assert len(smtp_server.wait_for(1, timeout=1)) == 1
    with pytest.raises(TimeoutError, match="1 of 2 messages arrived"):
        smtp_server.wait_for(2, timeout=0.2)
