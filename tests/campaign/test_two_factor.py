"""Staff pass a second factor after their password: a code from an authenticator app, or a
one-time recovery code. Required for admins and organizers (TWO_FACTOR_REQUIRED, on unless
DEBUG); the rest of the suite turns it off, these tests turn it on."""

import os
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaign.accounts.twofactor import recovery_codes_renew
from campaign.api.tokens import api_token_create
from campaign.permissions import access_rule_of
from tests.campaign import test_access
from tests.campaign.test_access import routes, url_for
from tests.campaign.test_settings import ROOT

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # the personas' one
world = test_access.world  # the fixture: one of each object the URLs name
VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def log_in(client: Client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"


def test_an_organizer_with_an_authenticator_is_asked_for_its_code_after_the_password(
    client, organizer_lyon
):
    authenticator(organizer_lyon)
    log_in(client, organizer_lyon)

    home = client.get(reverse("home"))

    assert home.status_code == 302
    assert home["Location"] == f"{VERIFY}?next=%2F"


def test_the_right_code_opens_the_staff_pages(client, organizer_lyon):
    device = authenticator(organizer_lyon)
    log_in(client, organizer_lyon)

    answer = client.post(VERIFY, {"code": code_of(device), "next": "/contacts/"})

    assert answer["Location"] == "/contacts/"
    assert client.get(reverse("contacts:list")).status_code == 200


def test_a_wrong_code_leaves_the_session_outside(client, organizer_lyon):
    device = authenticator(organizer_lyon)
    log_in(client, organizer_lyon)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"

    answer = client.post(VERIFY, {"code": wrong})

    assert answer.status_code == 200
    assert "Ce code n&#x27;est pas le bon" in answer.content.decode()
    assert client.get(reverse("contacts:list"))["Location"].startswith(VERIFY)


def test_after_a_wrong_code_even_the_right_one_waits(client, organizer_lyon, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600  # the wait after one failure: an hour
    device = authenticator(organizer_lyon)
    log_in(client, organizer_lyon)
    client.post(VERIFY, {"code": "000000" if code_of(device) != "000000" else "111111"})

    answer = client.post(VERIFY, {"code": code_of(device)})

    assert "Trop de codes erronés" in answer.content.decode()
    assert client.get(reverse("contacts:list"))["Location"].startswith(VERIFY)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_recovery_code_lets_in_once(client, organizer_lyon):
    authenticator(organizer_lyon)
    codes = recovery_codes_renew(user=organizer_lyon)
    log_in(client, organizer_lyon)

    first = client.post(VERIFY, {"code": codes[0].upper()})
    assert first["Location"] == reverse("home")
    assert client.get(reverse("contacts:list")).status_code == 200

    client.post(reverse("logout"))
    log_in(client, organizer_lyon)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert client.get(reverse("contacts:list"))["Location"].startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=organizer_lyon).count() == 9


def test_an_organizer_without_an_authenticator_is_sent_to_set_one_up(client, organizer_lyon):
    log_in(client, organizer_lyon)

    home = client.get(reverse("home"))

    assert home["Location"] == f"{SETUP}?next=%2F"


def test_setting_up_shows_the_secret_as_a_qr_code_drawn_here(client, organizer_lyon):
    log_in(client, organizer_lyon)

    page = client.get(SETUP).content.decode()

    device = TOTPDevice.objects.get(user=organizer_lyon, confirmed=False)
    assert re.search(r'<img src="data:image/svg\+xml[^"]*"', page)
    assert "<script" not in page.split("</header>", 1)[-1]
    secret = re.search(r"<code data-secret>([A-Z2-7 ]+)</code>", page).group(1)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "")) == device.bin_key


def test_confirming_the_authenticator_shows_ten_recovery_codes_once(client, organizer_lyon):
    log_in(client, organizer_lyon)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=organizer_lyon)

    page = client.post(SETUP, {"code": code_of(device)})

    shown = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    assert len(shown) == 10
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=organizer_lyon).values_list("token", flat=True)
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("contacts:list")).status_code == 200
    assert "data-recovery-codes" not in client.get(SETUP).content.decode()


def test_a_wrong_code_does_not_confirm_the_authenticator(client, organizer_lyon):
    log_in(client, organizer_lyon)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=organizer_lyon)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"

    answer = client.post(SETUP, {"code": wrong})

    assert answer.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=organizer_lyon).exists()
    assert client.get(reverse("contacts:list"))["Location"].startswith(SETUP)


def test_the_password_alone_cannot_replace_an_authenticator(client, organizer_lyon):
    existing = authenticator(organizer_lyon)
    log_in(client, organizer_lyon)

    page = client.get(SETUP + "?replace=1")
    posted = client.post(SETUP, {"code": "123456"})

    assert page["Location"].startswith(VERIFY)
    assert posted["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=organizer_lyon)) == [existing]


def test_a_verified_session_moves_to_another_phone(client, organizer_lyon):
    old = authenticator(organizer_lyon)
    log_in(client, organizer_lyon)
    client.post(VERIFY, {"code": code_of(old)})
    client.get(SETUP + "?replace=1")
    new = TOTPDevice.objects.get(user=organizer_lyon, confirmed=False)

    client.post(SETUP, {"code": code_of(new)})

    assert list(TOTPDevice.objects.filter(user=organizer_lyon)) == [new]


def test_new_recovery_codes_replace_the_old_ones(client, organizer_lyon):
    device = authenticator(organizer_lyon)
    old = recovery_codes_renew(user=organizer_lyon)
    log_in(client, organizer_lyon)
    client.post(VERIFY, {"code": code_of(device)})

    page = client.post(reverse("two_factor_recovery_codes")).content.decode()

    shown = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    assert len(shown) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_every_page_but_public_ones_refuses_a_staff_session_without_the_second_factor(
    world, admin_user, organizer_lyon
):
    exempt = {"two_factor_verify", "two_factor_setup", "login", "logout"}
    wrong, checked = [], 0
    for user in (admin_user, organizer_lyon):
        authenticator(user)
        client = Client()
        client.force_login(user)  # the password, and nothing more
        for entry, route, name in routes():
            url = url_for(entry, name, world)
            if url is None or name in exempt:
                continue
            if access_rule_of(entry.callback) not in ("crm", "admin", "login"):
                continue
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            checked += 1
            if not (response.status_code == 302 and response["Location"].startswith(VERIFY)):
                wrong.append((user.username, route, response.status_code))
    assert wrong == []
    assert checked > 100  # every staff page, twice


def test_the_django_admin_asks_an_admin_for_the_second_factor(client, admin_user):
    authenticator(admin_user)
    log_in(client, admin_user)

    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert client.get("/admin/campaign/user/")["Location"].startswith(VERIFY)


def test_the_api_takes_no_staff_session_without_the_second_factor(client, admin_user):
    authenticator(admin_user)
    log_in(client, admin_user)

    answer = client.get(reverse("api:people"))

    assert answer.status_code == 401
    assert "_embedded" not in answer.content.decode()


def test_the_api_takes_a_verified_staff_session(client, admin_user):
    device = authenticator(admin_user)
    log_in(client, admin_user)
    client.post(VERIFY, {"code": code_of(device)})

    assert client.get(reverse("api:people")).status_code == 200


def test_an_api_token_needs_no_second_factor(client, admin_user):
    authenticator(admin_user)
    _token, key = api_token_create(user=admin_user, name="sync")

    answer = client.get(reverse("api:people"), HTTP_OSDI_API_TOKEN=key)

    assert answer.status_code == 200


def test_public_pages_see_a_session_without_the_second_factor_as_a_visitor(
    client, admin_user, world
):
    authenticator(admin_user)
    log_in(client, admin_user)

    page = client.get(reverse("petitions:page", args=[world["slug"]]))

    assert page.status_code == 200
    assert page.wsgi_request.user.is_anonymous


def test_logging_out_needs_no_second_factor(client, organizer_lyon):
    authenticator(organizer_lyon)
    log_in(client, organizer_lyon)

    client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session


def test_a_volunteer_needs_no_second_factor(client, volunteer):
    log_in(client, volunteer)

    assert client.get(reverse("home")).status_code == 200


def test_a_volunteer_who_set_up_an_authenticator_is_asked_for_it(client, volunteer):
    authenticator(volunteer)
    log_in(client, volunteer)

    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_with_the_requirement_off_staff_log_in_with_the_password_alone(
    client, organizer_lyon, settings
):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, organizer_lyon)

    assert client.get(reverse("contacts:list")).status_code == 200


def test_with_the_requirement_off_staff_who_set_up_an_authenticator_still_use_it(
    client, organizer_lyon, settings
):
    settings.TWO_FACTOR_REQUIRED = False
    authenticator(organizer_lyon)
    log_in(client, organizer_lyon)

    assert client.get(reverse("contacts:list"))["Location"].startswith(VERIFY)


SHOW_REQUIREMENT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.TWO_FACTOR_REQUIRED)"
)


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "True"),
        ({"DEBUG": "true"}, "False"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50, "TWO_FACTOR_REQUIRED": "false"}, "False"),
    ],
)
def test_the_requirement_is_on_unless_debug_or_turned_off(env, required):
    run = subprocess.run(
        [sys.executable, "-c", SHOW_REQUIREMENT],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "campaign.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [required]


def test_the_session_key_changes_when_the_second_factor_is_passed(client, organizer_lyon):
    device = authenticator(organizer_lyon)
    log_in(client, organizer_lyon)
    before = client.session.session_key

    client.post(VERIFY, {"code": code_of(device)})

    assert client.session.session_key != before


def test_a_superuser_removes_a_lost_authenticator_in_the_django_admin(client, organizer_lyon):
    from campaign.models import User

    root = User.objects.create_superuser(username="root", password=PASSWORD, email="r@ex.fr")
    device = authenticator(root)
    lost = authenticator(organizer_lyon)
    log_in(client, root)
    client.post(VERIFY, {"code": code_of(device)})

    listing = client.get("/admin/otp_totp/totpdevice/")
    change_page = client.get(f"/admin/otp_totp/totpdevice/{lost.pk}/change/")
    client.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert change_page.status_code == 200
    assert lost.key not in change_page.content.decode()  # secrets stay hidden
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_session_opened_before_the_authenticator_was_set_up_is_asked_for_it(client, volunteer):
    log_in(client, volunteer)
    assert client.get(reverse("home")).status_code == 200

    authenticator(volunteer)  # set up from another session

    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_a_locked_out_admin_gets_a_one_time_code_from_the_command_line(client, admin_user):
    from io import StringIO

    from django.core.management import call_command

    authenticator(admin_user)  # the phone is lost
    out = StringIO()
    call_command("addstatictoken", admin_user.username, stdout=out)
    log_in(client, admin_user)

    client.post(VERIFY, {"code": out.getvalue().strip()})

    assert client.get(reverse("contacts:list")).status_code == 200
