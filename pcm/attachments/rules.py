"""What may be attached: the size limit, and the type found from the content itself.

The file's name and the type the browser claims are ignored: a program renamed "consent.pdf" is
still a program. The type is read from the first bytes ("magic numbers"); a photo named ".pdf"
is stored as the photo it is. Nothing is stripped or converted: what was uploaded is what is
kept and given back.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pcm.attachments.models import FileType
from pcm.core.errors import ActionRefused

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
KIB = 1024
MIB = 1024 * 1024

# HEIF brands of still images (iPhones save photos as HEIC).
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def max_bytes() -> int:
    return int(getattr(settings, "PCM_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def format_size(size: int) -> str:
    """SIZE for people: "820 bytes", "35 KB", "14.2 MB" (decimals in the user's language)."""
    if size < KIB:
        return ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}
    if size < MIB:
        return _("%(size)s KB") % {"size": floatformat(size / KIB, -1)}
    return _("%(size)s MB") % {"size": floatformat(size / MIB, -1)}


def sniff(content: bytes) -> FileType | None:
    """The accepted type CONTENT is, from its first bytes; None if it is none of them."""
    if content.startswith(b"%PDF-"):
        return FileType.PDF
    if content.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return FileType.WEBP
    if content[4:8] == b"ftyp" and content[8:12] in _HEIF_BRANDS:
        return FileType.HEIC
    return None


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "windows_program"),
    (b"\x7fELF", "program"),
    (b"\xcf\xfa\xed\xfe", "program"),
    (b"\xfe\xed\xfa\xce", "program"),
    (b"\xca\xfe\xba\xbe", "program"),
    (b"#!", "script"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old_office"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"\x1f\x8b", "archive"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"ID3", "audio"),
    (b"OggS", "media"),
    (b"fLaC", "audio"),
    (b"{\\rtf", "rtf"),
)


def _what(content: bytes) -> str | None:
    """A code for what kind of (refused) file CONTENT is, when it can be told."""
    for signature, what in _SIGNATURES:
        if content.startswith(signature):
            return what
    if content[:4] == b"RIFF":
        return "media"
    if content[4:8] == b"ftyp":
        return "avif" if content[8:12] in (b"avif", b"avis") else "media"
    if content.startswith(b"BM") and len(content) > 14:
        return "bmp"
    head = content[:2048]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith("<"):
        if "<svg" in lowered:
            return "svg"
        if "<html" in lowered or lowered.startswith("<!doctype html"):
            return "html"
        return "xml"
    return "text"


def _description(what: str) -> str:
    descriptions = {
        "windows_program": _("a Windows program"),
        "program": _("a program"),
        "script": _("a script"),
        "zip": _("a ZIP archive or an Office document (Word, Excel)"),
        "old_office": _("an Office document (Word, Excel)"),
        "archive": _("a compressed archive"),
        "gif": _("a GIF image"),
        "tiff": _("a TIFF image"),
        "bmp": _("a BMP image"),
        "avif": _("an AVIF image"),
        "audio": _("a sound recording"),
        "media": _("a video or sound recording"),
        "rtf": _("a Rich Text document"),
        "svg": _("an SVG drawing"),
        "html": _("a web page"),
        "xml": _("an XML file"),
        "text": _("a text file"),
    }
    return descriptions[what]


def type_refusal(content: bytes) -> str:
    """The message for content of a type that is not accepted."""
    what = _what(content)
    if what is None:
        return _("This type of file is not recognised; upload a PDF, JPEG, PNG, HEIC or WebP file.")
    return _("This file is %(what)s; upload a PDF, JPEG, PNG, HEIC or WebP file.") % {
        "what": _description(what)
    }


def size_refusal(size: int) -> str:
    return _("This file is %(size)s; the limit is %(limit)s.") % {
        "size": format_size(size),
        "limit": format_size(max_bytes()),
    }


def checked_content(uploaded: UploadedFile) -> tuple[bytes, FileType]:
    """The bytes of UPLOADED and their type; ActionRefused if too large, empty or not accepted.

    The upload handler (pcm.attachments.uploads) keeps at most the limit in memory and counts
    the rest, so `uploaded.size` is the real size even when the content was cut short.
    """
    size = uploaded.size or 0
    if size == 0:
        raise ActionRefused(_("This file is empty. Choose the file again."))
    if size > max_bytes():
        raise ActionRefused(size_refusal(size))
    uploaded.seek(0)
    content = uploaded.read()
    if len(content) != size:
        raise ActionRefused(size_refusal(max(size, len(content))))
    file_type = sniff(content)
    if file_type is None:
        raise ActionRefused(type_refusal(content))
    return content, file_type
