"""The public forms let a browser fill in what it knows of the person (autocomplete) and give a
phone the keypad each field needs (inputmode): digits for a postal code, a decimal keypad for
an amount, an email keyboard for an address."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import DriveFactory, PetitionFactory

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    """Each named field's attributes, by name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag in ("input", "select", "textarea") and named.get("type") != "hidden":
            self.fields.setdefault(named.get("name", ""), named)


def fields_of(client, url: str) -> dict[str, dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    reader = Inputs()
    reader.feed(response.content.decode())
    return reader.fields


def hints(fields: dict[str, dict[str, str]], *names: str) -> dict[str, tuple[str, str]]:
    return {
        name: (fields[name].get("autocomplete"), fields[name].get("inputmode")) for name in names
    }


def test_the_petition_form_names_what_each_field_holds(client):
    PetitionFactory(slug="eau")

    fields = fields_of(client, reverse("petitions:page", args=["eau"]))

    assert hints(fields, "first_name", "last_name", "email", "postal_code") == {
        "first_name": ("given-name", None),
        "last_name": ("family-name", None),
        "email": ("email", "email"),
        "postal_code": ("postal-code", "numeric"),
    }
    assert (fields["phone"]["type"], fields["phone"]["autocomplete"]) == ("tel", "tel")
    assert fields["website"]["autocomplete"] == "off"  # the trap for bots stays empty


def test_the_donation_form_names_what_each_field_holds(client):
    DriveFactory(slug="don")

    fields = fields_of(client, reverse("donations:page", args=["don"]))

    assert hints(
        fields, "other", "first_name", "last_name", "email", "street", "postal_code", "commune"
    ) == {
        "other": ("off", "decimal"),
        "first_name": ("given-name", None),
        "last_name": ("family-name", None),
        "email": ("email", "email"),
        "street": ("address-line1", None),
        "postal_code": ("postal-code", "numeric"),
        "commune": ("address-level2", None),
    }


def test_staff_type_a_gift_amount_on_a_decimal_keypad(client, admin_user, lyon_contact):
    client.force_login(admin_user)

    fields = fields_of(client, f"{reverse('donations:new')}?contact={lyon_contact.pk}")

    assert fields["amount"]["inputmode"] == "decimal"


def test_the_login_and_password_forms_name_the_account_and_its_passwords(client, admin_user):
    admin_user.email = "alice@example.fr"
    admin_user.save()
    login = fields_of(client, reverse("login"))
    reset = fields_of(client, reverse("password_reset"))
    link = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(admin_user.pk)),
            default_token_generator.make_token(admin_user),
        ],
    )
    new_password = fields_of(client, client.get(link).url)

    assert hints(login, "username", "password") == {
        "username": ("username", None),
        "password": ("current-password", None),
    }
    assert (reset["email"]["type"], reset["email"]["autocomplete"]) == ("email", "email")
    assert new_password["new_password1"]["autocomplete"] == "new-password"
    assert new_password["new_password2"]["autocomplete"] == "new-password"
