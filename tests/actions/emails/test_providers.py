"""EMAIL_PROVIDER picks where mail goes: the embedded outbox, an SMTP server, or a provider's
API through django-anymail with its keys from the environment; a missing key or an unknown
provider stops the start naming what is wrong."""

import json

import pytest

from tests.campaign.test_settings import start_django

SHOW_EMAIL = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.EMAIL_PROVIDER, s.EMAIL_BACKEND, s.ANYMAIL, "
    "getattr(s, 'EMAIL_HOST', ''), getattr(s, 'EMAIL_PORT', 0)]))"
)


def email_settings(**env) -> tuple[str, str, dict, str, int]:
    run = start_django(SHOW_EMAIL, **env)
    assert run.returncode == 0, run.stderr
    return tuple(json.loads(run.stdout.splitlines()[-1]))


def test_with_no_provider_mail_goes_to_the_embedded_outbox():
    provider, backend, anymail, _host, _port = email_settings()

    assert (provider, backend, anymail) == ("", "actions.emails.backends.OutboxBackend", {})


def test_the_old_console_url_means_the_embedded_outbox_too():
    assert email_settings(EMAIL_URL="consolemail://")[1] == "actions.emails.backends.OutboxBackend"


def test_an_email_url_alone_means_smtp_as_it_always_has():
    provider, backend, _anymail, host, port = email_settings(
        EMAIL_URL="smtp+tls://user:pass@smtp.example.org:587"
    )

    assert (provider, backend, host, port) == (
        "smtp",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        587,
    )


@pytest.mark.parametrize(
    ("env", "backend", "anymail"),
    [
        (
            {"EMAIL_PROVIDER": "brevo", "BREVO_API_KEY": "xkeysib-1"},
            "anymail.backends.brevo.EmailBackend",
            {"BREVO_API_KEY": "xkeysib-1"},
        ),
        (
            {"EMAIL_PROVIDER": "mailjet", "MAILJET_API_KEY": "k", "MAILJET_SECRET_KEY": "s"},
            "anymail.backends.mailjet.EmailBackend",
            {"MAILJET_API_KEY": "k", "MAILJET_SECRET_KEY": "s"},
        ),
        (
            {
                "EMAIL_PROVIDER": "mailgun",
                "MAILGUN_API_KEY": "key-1",
                "MAILGUN_SENDER_DOMAIN": "mg.terrain.example",
                "MAILGUN_API_URL": "https://api.eu.mailgun.net/v3",
                "MAILGUN_WEBHOOK_SIGNING_KEY": "whsec",
            },
            "anymail.backends.mailgun.EmailBackend",
            {
                "MAILGUN_API_KEY": "key-1",
                "MAILGUN_SENDER_DOMAIN": "mg.terrain.example",
                "MAILGUN_API_URL": "https://api.eu.mailgun.net/v3",
                "MAILGUN_WEBHOOK_SIGNING_KEY": "whsec",
            },
        ),
        (
            {
                "EMAIL_PROVIDER": "postmark",
                "POSTMARK_SERVER_TOKEN": "tok",
                "POSTMARK_MESSAGE_STREAM": "broadcast",
            },
            "anymail.backends.postmark.EmailBackend",
            {"POSTMARK_SERVER_TOKEN": "tok", "POSTMARK_MESSAGE_STREAM": "broadcast"},
        ),
        (
            {"EMAIL_PROVIDER": "SendGrid", "SENDGRID_API_KEY": "SG.1"},
            "anymail.backends.sendgrid.EmailBackend",
            {"SENDGRID_API_KEY": "SG.1"},
        ),
    ],
)
def test_each_provider_gets_its_anymail_backend_and_keys(env, backend, anymail):
    _provider, chosen, keys, _host, _port = email_settings(**env)

    assert (chosen, keys) == (backend, anymail)


def test_the_webhook_secret_is_handed_to_anymail():
    anymail = email_settings(
        EMAIL_PROVIDER="brevo",
        BREVO_API_KEY="k",
        ANYMAIL_WEBHOOK_SECRET="terrain:a-long-random-password",
    )[2]

    assert anymail["WEBHOOK_SECRET"] == "terrain:a-long-random-password"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_PROVIDER": "carrier-pigeon"}, "EMAIL_PROVIDER must be empty, smtp or one of"),
        ({"EMAIL_PROVIDER": "brevo"}, "EMAIL_PROVIDER=brevo needs BREVO_API_KEY"),
        (
            {"EMAIL_PROVIDER": "mailjet", "MAILJET_API_KEY": "k"},
            "EMAIL_PROVIDER=mailjet needs MAILJET_SECRET_KEY",
        ),
        ({"EMAIL_PROVIDER": "mailgun"}, "needs MAILGUN_API_KEY"),
        ({"EMAIL_PROVIDER": "postmark"}, "needs POSTMARK_SERVER_TOKEN"),
        ({"EMAIL_PROVIDER": "sendgrid"}, "needs SENDGRID_API_KEY"),
        ({"EMAIL_PROVIDER": "amazon_ses"}, "needs AMAZON_SES_REGION"),
        ({"EMAIL_PROVIDER": "smtp"}, "EMAIL_PROVIDER=smtp needs EMAIL_URL"),
        ({"EMAIL_URL": "carrier://pigeon"}, "EMAIL_URL cannot be read"),
        (
            {"EMAIL_PROVIDER": "brevo", "BREVO_API_KEY": "k", "EMAIL_URL": "smtp://h:25"},
            "EMAIL_URL is for EMAIL_PROVIDER=smtp",
        ),
        ({"ANYMAIL_WEBHOOK_SECRET": "no-colon-in-this-secret"}, "ANYMAIL_WEBHOOK_SECRET"),
        ({"OUTBOX_KEEP_DAYS": "0"}, "OUTBOX_KEEP_DAYS"),
        ({"EMAIL_TIMEOUT_SECONDS": "never"}, "EMAIL_TIMEOUT_SECONDS"),
    ],
)
def test_a_missing_key_or_an_unknown_provider_stops_the_start(env, message):
    run = start_django(SHOW_EMAIL, **env)

    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr
    assert message in run.stderr


def test_amazon_ses_without_boto3_stops_the_start_saying_how_to_add_it():
    hide_boto3 = (
        "import sys; sys.modules['boto3'] = None; "  # as if it were not installed
        "import importlib.util; importlib.util.find_spec = "
        "(lambda f: lambda name, *a: None if name == 'boto3' else f(name, *a))"
        "(importlib.util.find_spec); " + SHOW_EMAIL
    )
    run = start_django(hide_boto3, EMAIL_PROVIDER="amazon_ses", AMAZON_SES_REGION="eu-west-3")

    assert run.returncode != 0
    assert "EMAIL_PROVIDER=amazon_ses needs boto3" in run.stderr
    assert "pip install -e '.[amazon-ses]'" in run.stderr


def test_amazon_ses_with_boto3_takes_its_region_as_a_client_parameter():
    fake_boto3 = (
        "import importlib.util; importlib.util.find_spec = "
        "(lambda f: lambda name, *a: object() if name == 'boto3' else f(name, *a))"
        "(importlib.util.find_spec); " + SHOW_EMAIL
    )
    _provider, backend, anymail, _host, _port = json.loads(
        start_django(
            fake_boto3,
            EMAIL_PROVIDER="amazon_ses",
            AMAZON_SES_REGION="eu-west-3",
            AMAZON_SES_CONFIGURATION_SET_NAME="terrain",
        ).stdout.splitlines()[-1]
    )

    assert backend == "anymail.backends.amazon_ses.EmailBackend"
    assert anymail == {
        "AMAZON_SES_CLIENT_PARAMS": {"region_name": "eu-west-3"},
        "AMAZON_SES_CONFIGURATION_SET_NAME": "terrain",
    }
