"""What an attacker meets: scripts only from the site's own files, and whatever people type
(names, petition texts, text replies) rendered inert on every page, in the admin and in
exports."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from contacts import services
from contacts.models import Source

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'


def test_pages_carry_a_content_security_policy_without_inline_scripts(client_as, admin_user):
    policy = client_as(admin_user).get(reverse("home"))["Content-Security-Policy"]

    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'self'" in policy


def test_the_petition_widget_may_be_framed_by_any_site(client):
    from actions.petitions.models import Petition

    Petition.objects.create(slug="eau", title="Eau", text="…", status=Petition.Status.PUBLISHED)

    policy = client.get(reverse("petitions:embed", args=["eau"]))["Content-Security-Policy"]

    assert "frame-ancestors *" in policy and "script-src 'self'" in policy


def test_no_template_has_an_inline_script_or_event_handler():
    inline = []
    for template in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]:
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                inline.append((template.name, tag))
        inline += [(template.name, m) for m in re.findall(r"\son[a-z]+\s*=", text)]
    assert inline == []


@pytest.fixture
def payloads(lyon_contact, admin_user):
    """A name, a petition and a text reply carrying scripts and attribute breakers."""
    from actions.petitions.models import Petition
    from actions.sms.services.inbound import inbound_receive

    services.contact_update(
        contact=lyon_contact, actor=admin_user, first_name=SCRIPT, last_name=ATTRIBUTE
    )
    petition = Petition.objects.create(
        slug="xss",
        title=f"Titre {SCRIPT}",
        target=ATTRIBUTE,
        text=f"Texte {SCRIPT} [lien](javascript:alert(1)) <b onmouseover=alert(1)>gras</b>",
        status=Petition.Status.PUBLISHED,
    )
    inbound_receive(sid="SMx", from_number="+33612345678", to_number="", body=f"Oui {SCRIPT}")
    return {"contact": lyon_contact, "petition": petition}


def assert_inert(html: str) -> None:
    assert SCRIPT not in html and "<img src=x" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "javascript:alert" not in html
    assert "<b onmouseover" not in html


def test_what_people_type_renders_inert_on_pages_admin_and_exports(payloads, client_as):
    from campaign.models import User

    root = User.objects.create_superuser(username="root", password="x" * 12, email="r@ex.fr")
    client = client_as(root)
    contact = payloads["contact"]
    pages = [
        reverse("contacts:list"),
        reverse("contacts:detail", args=[contact.pk]),
        reverse("petitions:page", args=["xss"]),
        reverse("petitions:staff_list"),
        reverse("sms:inbox"),
        reverse("admin:contacts_contact_changelist"),
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        reverse("admin:sms_inbound_changelist"),
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    assert (
        "&lt;script&gt;"
        in client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    )

    api = client.get(f"/api/v1/people/{contact.uuid}").json()
    assert api["given_name"] == SCRIPT  # data, served as JSON: the client escapes it

    exported = b"".join(client.get(reverse("contacts:export")).streaming_content).decode()
    assert '<script>alert(""xss"")</script>' in exported  # CSV is text, not HTML: as typed


def test_a_name_that_starts_like_a_formula_is_exported_as_text(client_as, admin_user):
    services.contact_create(actor=None, source=Source.MANUAL, first_name='=HYPERLINK("x")')

    exported = b"".join(
        client_as(admin_user).get(reverse("contacts:export")).streaming_content
    ).decode()

    assert "'=HYPERLINK" in exported
