"""Organizers write a petition, give it a cover image fit for phones, and publish it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from actions.petitions.models import Petition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(width=4000, height=3000, *, gps=True) -> SimpleUploadedFile:
    """A phone photo: big, taken sideways (EXIF orientation 6), with a GPS position."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to show upright
    if gps:
        exif[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_2031.jpg", out.getvalue(), content_type="image/jpeg")


def form(**overrides) -> dict:
    return {
        "title": "Sauvons la piscine Garibaldi",
        "target": "Mairie de Lyon",
        "text": "La piscine **doit rester ouverte**.",
        "goal": "5000",
        "consent_email": "J'accepte de recevoir des e-mails.",
        "next_step": "share",
        "data_controller": "Collectif Garibaldi",
        **overrides,
    }


def test_a_cover_photo_is_upright_scaled_down_and_stripped_of_its_gps(client_as, admin_user):
    response = client_as(admin_user).post(
        reverse("petitions:staff_new"),
        form(image=photo(), image_alt="La piscine Garibaldi vue de la rue"),
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.slug == "sauvons-la-piscine-garibaldi"
    with Image.open(petition.image.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1200, 1600)  # turned upright, longest side 1600
        assert not stored.getexif()  # no GPS position, no device
    assert (petition.image_width, petition.image_height) == (1200, 1600)

    petition.status = Petition.Status.PUBLISHED
    petition.save()
    page = client_as(admin_user).get(reverse("petitions:page", args=[petition.slug]))
    html = page.content.decode()
    assert 'alt="La piscine Garibaldi vue de la rue"' in html
    assert 'width="1200" height="1600"' in html
    assert '<meta property="og:image:alt" content="La piscine Garibaldi vue de la rue">' in html


def test_an_image_needs_a_description(client_as, admin_user):
    response = client_as(admin_user).post(reverse("petitions:staff_new"), form(image=photo()))
    assert response.status_code == 200
    assert "Décrivez l’image pour les personnes qui ne la voient pas." in (
        response.content.decode()
    )
    assert not Petition.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client_as, admin_user):
    fake = SimpleUploadedFile("tract.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client_as(admin_user).post(
        reverse("petitions:staff_new"), form(image=fake, image_alt="Tract")
    )
    assert response.status_code == 200
    assert "Transférez une image valide" in response.content.decode()  # Django checks it
    assert not Petition.objects.exists()


def test_publish_close_and_archive(client_as, admin_user):
    client = client_as(admin_user)
    client.post(reverse("petitions:staff_new"), form())
    petition = Petition.objects.get()
    page = reverse("petitions:page", args=[petition.slug])
    assert client.get(page).status_code == 404  # a draft is not public
    status = reverse("petitions:staff_status", args=[petition.pk])
    client.post(status, {"status": "published"})
    assert 'name="email"' in client.get(page).content.decode()
    client.post(status, {"status": "closed"})
    closed = client.get(page).content.decode()
    assert 'name="email"' not in closed and "close" in closed.lower()
    client.post(status, {"status": "archived"})
    assert client.get(page).status_code == 404
