import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tongpin.core import crypto
from tongpin.core.models import Notification
from tongpin.core.services import attach, attachments_of, notify


@pytest.mark.django_db
def test_notify_never_sends_the_same_key_twice(demo_user):
    shuji = demo_user("shuji")
    assert notify(shuji, title="任务逾期", dedupe_key="task:1:overdue") is True
    assert notify(shuji, title="任务逾期", dedupe_key="task:1:overdue") is False
    assert Notification.objects.filter(recipient=shuji, dedupe_key="task:1:overdue").count() == 1
    # another recipient may get the same key
    assert notify(demo_user("weiyuan"), title="任务逾期", dedupe_key="task:1:overdue") is True


@pytest.mark.django_db
def test_attach_keeps_name_size_and_sm3_digest(demo_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shuji = demo_user("shuji")
    member = shuji.member
    content = "会议记录".encode()
    attachment = attach(member, SimpleUploadedFile("纪要.docx", content), user=shuji)
    assert attachment.name == "纪要.docx"
    assert attachment.size == len(content)
    assert attachment.digest == crypto.sm3_digest(content).hex()
    assert not attachment.file.name.endswith("纪要.docx")  # random name on disk
    assert list(attachments_of(member)) == [attachment]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["page.html", "run.exe", "script.js", "noextension"])
def test_attach_refuses_dangerous_types(demo_user, settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path
    shuji = demo_user("shuji")
    with pytest.raises(ValidationError):
        attach(shuji.member, SimpleUploadedFile(name, b"x"), user=shuji)


@pytest.mark.django_db
def test_attach_refuses_oversized(demo_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TONGPIN = {**settings.TONGPIN, "ATTACHMENT_MAX_BYTES": 10}
    shuji = demo_user("shuji")
    with pytest.raises(ValidationError):
        attach(shuji.member, SimpleUploadedFile("a.pdf", b"x" * 11), user=shuji)


def test_sm4_round_trip_and_blind_index():
    sealed = crypto.seal("110101199003074514")
    assert sealed.startswith("s4:") and "110101" not in sealed
    assert crypto.unseal(sealed) == "110101199003074514"
    assert crypto.seal("110101199003074514") != sealed  # random IV
    assert crypto.blind_index("110101199003074514") == crypto.blind_index(" 110101199003074514 ")


def test_hmac_sm3_known_answer():
    # SM3("abc") from GB/T 32905-2016 appendix A
    assert (
        crypto.sm3_digest(b"abc").hex()
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
