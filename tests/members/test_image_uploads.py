"""Image bombs: an image whose header declares more pixels than the site accepts is refused on upload."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model

from members.forms.profile import PhotoField
from members.models import Profile
from tests.factories.members import make_member, make_staff
from tests.members.test_profile import PROFILE, error_codes, image_upload, valid_data

pytestmark = pytest.mark.django_db


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width, height):
    """A PNG of a few hundred bytes whose header says width × height: what an image bomb looks like."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    first_rows = zlib.compress(b"\x00" * (width + 1) * 4)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", first_rows) + _chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", png, content_type="image/png")


def test_the_bomb_is_small_on_disk():
    assert png_declaring(12_000, 12_000).size < 100_000


@pytest.mark.parametrize(("width", "height"), [(12_000, 12_000), (7_000, 7_000), (40_001, 1_000)])
def test_a_profile_photo_declaring_too_many_pixels_is_refused_with_a_clear_message(client, width, height):
    user = make_member()
    client.force_login(user)

    response = client.post(PROFILE, valid_data(photo_upload=png_declaring(width, height)))

    assert response.status_code == 400
    assert error_codes(response, "photo_upload") == ["too_many_pixels"]
    message = response.context["form"].errors["photo_upload"][0]
    assert "40" in message  # the limit, in megapixels
    assert message in response.content.decode()
    assert 'data-testid="photo-not-saved"' in response.content.decode()
    assert not get_image_model().objects.exists()
    assert Profile.objects.get(user=user).photo is None


def test_the_message_gives_the_declared_size_when_it_is_known(client):
    client.force_login(make_member())

    # The English interface, under /en/: the URL's language prefix decides, as for a reader.
    with translation.override("en"):
        response = client.post(reverse("members:profile"), valid_data(photo_upload=png_declaring(7_000, 7_000)))
        errors = [str(error) for error in response.context["form"].errors["photo_upload"]]

    assert errors == ["This image is 7000 × 7000 pixels; the limit is 40 megapixels. Choose a smaller image."]
    assert errors[0] in response.content.decode()


def test_a_normal_photo_is_still_accepted(client):
    user = make_member()
    client.force_login(user)

    response = client.post(PROFILE, valid_data(photo_upload=image_upload(size=(1_200, 900))))

    assert response.status_code == 302
    photo = Profile.objects.select_related("photo").get(user=user).photo
    assert (photo.width, photo.height) == (1_200, 900)


def test_a_photo_just_under_the_limit_is_accepted():
    field = PhotoField(required=False)

    accepted = field.clean(png_declaring(8_000, 5_000))

    assert accepted.image.size == (8_000, 5_000)


def test_the_profile_photo_is_shown_as_a_small_rendition_not_the_original(client):
    user = make_member()
    client.force_login(user)
    client.post(PROFILE, valid_data(photo_upload=image_upload(size=(1_200, 900))))
    photo = Profile.objects.get(user=user).photo

    page = client.get(reverse("members:profile_detail", args=[user.pk])).content.decode()

    assert photo.file.url not in page
    assert photo.renditions.filter(filter_spec="fill-240x240-c100").count() == 1
    client.get(reverse("members:profile_detail", args=[user.pk]))
    assert photo.renditions.count() == 1  # made once, then reused


def test_the_admin_image_upload_refuses_the_bomb(client):
    client.force_login(make_staff())

    response = client.post(
        reverse("wagtailimages:add"), {"title": "Bombe", "file": png_declaring(12_000, 12_000), "collection": 1}
    )

    assert response.status_code == 200  # Wagtail shows its form again with the error
    assert response.context["form"].errors["file"]
    assert response.context["form"].errors.as_data()["file"][0].code == "file_too_many_pixels"
    assert not get_image_model().objects.exists()


def test_the_admin_image_upload_refuses_a_bomb_under_pillows_own_limit(client):
    client.force_login(make_staff())

    response = client.post(
        reverse("wagtailimages:add"), {"title": "Bombe", "file": png_declaring(7_000, 7_000), "collection": 1}
    )

    assert response.context["form"].errors.as_data()["file"][0].code == "file_too_many_pixels"
    assert not get_image_model().objects.exists()


def test_the_admin_multiple_upload_refuses_the_bomb(client):
    client.force_login(make_staff())

    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": png_declaring(12_000, 12_000)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code in (200, 400)
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()
