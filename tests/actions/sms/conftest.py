import pytest
from django.core.cache import cache

from actions.sms.backends import sms_backend
from contacts import services as contact_services
from contacts.models import Segment, SegmentMember, Source


@pytest.fixture(autouse=True)
def _log_backend_by_default(settings):
    settings.SMS_BACKEND = "actions.sms.backends.LogBackend"
    settings.SMS_QUIET_HOURS = ""
    settings.SITE_URL = "https://terrain.example"
    sms_backend.cache_clear()
    cache.clear()
    yield
    sms_backend.cache_clear()


def person(first: str, phone: str, *, sms: bool = True, commune: str = "Lyon"):
    contact = contact_services.contact_create(
        actor=None,
        source=Source.MANUAL,
        first_name=first,
        last_name="Martin",
        commune=commune,
        phones=[contact_services.PhoneInput(number=phone, is_primary=True)] if phone else [],
    )
    if sms:
        contact_services.consent_set(
            contact=contact, channel="sms", status="granted", source=Source.MANUAL, actor=None
        )
    return contact


@pytest.fixture
def people(db):
    return {
        "lea": person("Léa", "06 12 34 56 78"),
        "hugo": person("Hugo", "+33 7 81 23 45 67"),
        "nina": person("Nina", "06 99 88 77 66", sms=False),  # never agreed to texts
        "paul": person("Paul", "04 78 00 00 00"),  # a landline
        "zoe": person("Zoé", ""),  # no phone
    }


@pytest.fixture
def segment(people):
    segment = Segment.objects.create(name="Tout le monde", is_static=True)
    SegmentMember.objects.bulk_create(
        SegmentMember(segment=segment, contact=c) for c in people.values()
    )
    return segment


@pytest.fixture
def fake(fake_twilio):
    return fake_twilio
