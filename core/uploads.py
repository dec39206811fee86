"""Uploaded files checked by what they contain, with real parsers, in one place.

Used by every upload the site accepts: case attachments (``schools.attachments``), Wagtail
documents (``core.wagtail_forms.SafeDocumentForm``) and the question-bank spreadsheet. Each
check returns the bytes to store, or raises ``ValidationError`` with a message the uploader
understands; nothing here ever lets a parser error become a 500.

PDF (``clean_pdf``): parsed with pikepdf (qpdf) without repairing it, so a file that does
not parse, or only parses after qpdf guesses its cross-reference table, is refused. Every
object qpdf knows of (``pdf.objects``, which includes objects inside object streams) and
every dictionary nested in it is walked, with names already normalised by qpdf
(``/J#61vaScript`` is ``/JavaScript``). The raw bytes are also scanned, after decoding
``#xx`` escapes, for the same names: that covers objects an incremental update left behind
(qpdf reads only the newest revision; another viewer might repair its way to an older one).
Refused: JavaScript (``/JS``, ``/JavaScript`` name trees), additional actions (``/AA``),
every action except going to a page of the same file, the four page-turning named actions
and links to ``http``, ``https`` or ``mailto`` addresses (a link opens the browser, like a
link in a message; ``javascript:``, ``file:`` and the rest are refused), an ``/OpenAction``
that is an action rather than a page to open at, embedded and attached files, rich media,
sound, movies, 3D, XFA forms, and password-protected files. A file encrypted with an owner
password only (no password to open it) is checked like any other. The stored copy is the file
rewritten by qpdf: only the objects that were checked, no older revisions, no encryption,
no document information or XMP metadata (author names).

Images (``reencode_image``): JPEG, PNG and WebP. The dimensions are read from the header
before anything is decoded, so a decompression bomb is refused without allocating its pixels;
JPEGs are decoded at a reduced scale (draft mode) when they are large; the stored copy is a
fresh encode of the pixels alone, at most ``max_edge`` pixels on its longest side, with no
EXIF, XMP, ICC profile, comment or text chunk carried over (``Image.info`` is emptied before
saving, since Pillow copies a JPEG comment into a re-encode on its own). GIF and BMP are
refused with a message naming the formats that work.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import pikepdf
from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

# A PNG's text chunks are decompressed when the file is opened, before its size is known:
# keep what one upload may make Pillow allocate for them small (Pillow's default is 64 MB).
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024

ORIENTATION = 0x0112  # the EXIF tag a phone sets when the photo was taken sideways
IMAGE_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Phones write JPEGs with a second, smaller picture inside ("MPO"); the first one is the photo.
JPEG_FORMATS = {"JPEG", "MPO"}
REFUSED_IMAGE_FORMATS = {"GIF", "BMP", "DIB"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}

# --- PDF -----------------------------------------------------------------------------------
# Keys whose mere presence means active or embedded content.
ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/RichMedia",
    "/RichMediaContent",
    "/RichMediaSettings",
    "/XFA",
    "/Launch",
}
ACTIVE_TYPES = {"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen", "/3D"}
# Every action type of ISO 32000-2 §12.6.4; only the harmless ones are allowed.
ACTION_TYPES = {
    "/GoTo",
    "/GoToR",
    "/GoToE",
    "/GoToDp",
    "/Launch",
    "/Thread",
    "/URI",
    "/Sound",
    "/Movie",
    "/Hide",
    "/Named",
    "/SubmitForm",
    "/ResetForm",
    "/ImportData",
    "/JavaScript",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
    "/RichMediaExecute",
}
SAFE_ACTIONS = {"/GoTo", "/URI", "/Named"}
SAFE_NAMED_ACTIONS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
# The same names in the raw bytes, after #xx escapes are decoded; a name ends at a delimiter.
RAW_ACTIVE_NAMES = re.compile(
    rb"/(JavaScript|JS|AA|Launch|EmbeddedFiles?|EF|RichMedia|XFA|SubmitForm|ImportData|GoToR|GoToE"
    rb"|FileAttachment|Sound|Movie)(?=[\s/<>\[\]()%{}]|$)"
)
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_TAIL = re.compile(rb"%%EOF[\s\x00]*$")


@dataclass
class CheckedFile:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")


class ActivePDF(Exception):
    """Raised inside the walk when active content is found; becomes a ValidationError."""


def damaged_pdf() -> ValidationError:
    return ValidationError(
        _("This PDF file seems damaged or incomplete. Please save it again and retry."), code="pdf_damaged"
    )


def active_pdf() -> ValidationError:
    return ValidationError(
        _(
            "This PDF contains scripts, actions, forms or embedded files, which we do not accept. "
            "Please print it to a plain PDF and attach that."
        ),
        code="pdf_active",
    )


def is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def clean_pdf(data: bytes) -> bytes:
    """The PDF rewritten by qpdf, or ``ValidationError`` if it does not parse or is active."""
    if not is_pdf(data) or not PDF_TAIL.search(data[-1024:]):
        raise damaged_pdf()
    if RAW_ACTIVE_NAMES.search(NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)):
        raise active_pdf()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise ValidationError(
            _("This PDF is protected by a password. Please attach a copy without a password."), code="pdf_password"
        ) from None
    except Exception:  # noqa: BLE001 - as below
        raise damaged_pdf() from None
    with pdf:
        try:
            _check_pdf_objects(pdf)
            if "/Info" in pdf.trailer:
                del pdf.trailer.Info
            if "/Metadata" in pdf.Root:
                del pdf.Root.Metadata
            output = io.BytesIO()
            pdf.save(output, encryption=False, deterministic_id=True)
        except ActivePDF:
            raise active_pdf() from None
        except Exception:  # noqa: BLE001 - qpdf and pikepdf raise many kinds of errors for a broken file
            raise damaged_pdf() from None
    return output.getvalue()


def _check_pdf_objects(pdf: pikepdf.Pdf) -> None:
    if not len(pdf.pages):
        raise pikepdf.PdfError("no pages")
    root = pdf.Root
    opening = root.get("/OpenAction")
    if opening is not None and not isinstance(opening, pikepdf.Array):
        # An array is a page to open at; a dictionary is an action run on opening.
        _check_action(opening)
    _walk(pdf.trailer)
    for item in pdf.objects:
        _walk(item)


def _walk(item, depth: int = 0) -> None:
    """Checks ``item`` and the direct objects inside it; indirect ones are walked on their own."""
    if depth > 100:
        raise ActivePDF
    if isinstance(item, pikepdf.Stream):
        _check_dictionary(item.stream_dict, depth)
    elif isinstance(item, pikepdf.Dictionary):
        _check_dictionary(item, depth)
    elif isinstance(item, pikepdf.Array):
        for child in item:
            if isinstance(child, pikepdf.Object) and not child.is_indirect:
                _walk(child, depth + 1)


def _check_dictionary(dictionary, depth: int) -> None:
    keys = set(dictionary.keys())
    if keys & ACTIVE_KEYS:
        raise ActivePDF
    for key in ("/Type", "/Subtype"):
        value = dictionary.get(key)
        if isinstance(value, pikepdf.Name) and str(value) in ACTIVE_TYPES:
            raise ActivePDF
    kind = dictionary.get("/S")
    if (isinstance(kind, pikepdf.Name) and str(kind) in ACTION_TYPES) or str(dictionary.get("/Type", "")) == "/Action":
        _check_action(dictionary)
    if "/URI" in keys:
        _check_uri(dictionary.get("/URI"))
    for key in keys:
        child = dictionary.get(key)
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _walk(child, depth + 1)


def _check_action(action) -> None:
    if not isinstance(action, pikepdf.Dictionary):
        raise ActivePDF
    kind = str(action.get("/S", ""))
    if kind not in SAFE_ACTIONS:
        raise ActivePDF
    if kind == "/Named" and str(action.get("/N", "")) not in SAFE_NAMED_ACTIONS:
        raise ActivePDF
    if kind == "/URI":
        _check_uri(action.get("/URI"))


def _check_uri(value) -> None:
    if value is None:
        return
    if not isinstance(value, pikepdf.String):
        raise ActivePDF
    address = bytes(value).decode("latin-1").strip().lower()
    if not address.startswith(SAFE_URI_SCHEMES):
        raise ActivePDF


# --- Images --------------------------------------------------------------------------------
def unknown_file(kinds: str) -> ValidationError:
    return ValidationError(kinds, code="file_type")


def refused_image_format() -> ValidationError:
    return ValidationError(
        _("GIF and BMP pictures are not accepted. Please attach a JPEG, PNG or WebP picture (or a PDF)."),
        code="image_format",
    )


def too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("This picture has too many pixels (more than %(megapixels)s million). Please send a smaller picture.")
        % {"megapixels": max_pixels // 1_000_000},
        code="image_pixels",
    )


def _draft_scale(width: int, height: int, max_pixels: int) -> int:
    """The smallest JPEG decoding scale (1, 2, 4 or 8) that brings the picture under ``max_pixels``."""
    for scale in (1, 2, 4, 8):
        if math.ceil(width / scale) * math.ceil(height / scale) <= max_pixels:
            return scale
    return 0


def reencode_image(data: bytes, *, max_pixels: int, max_edge: int, not_a_picture: ValidationError) -> CheckedFile:
    """A fresh encode of the picture's pixels, or ``ValidationError`` saying why it was refused.

    Memory stays bounded by ``max_pixels`` (times 4 bytes): the size is read from the header
    first, and a large baseline JPEG is decoded at 1/2, 1/4 or 1/8 scale. A progressive JPEG
    keeps every coefficient of the full picture in memory while decoding, so it gets no
    such allowance.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                source_format = image.format
                if source_format in REFUSED_IMAGE_FORMATS:
                    raise refused_image_format()
                if source_format not in IMAGE_CONTENT_TYPES and source_format not in JPEG_FORMATS:
                    raise not_a_picture
                width, height = image.size
                if source_format in JPEG_FORMATS:
                    progressive = image.info.get("progressive") or image.info.get("progression")
                    scale = 1 if progressive else _draft_scale(width, height, max_pixels)
                    if scale == 0 or (scale == 1 and width * height > max_pixels):
                        raise too_many_pixels(max_pixels)
                    if scale > 1:
                        image.draft("RGB", (math.ceil(width / scale), math.ceil(height / scale)))
                elif width * height > max_pixels:
                    raise too_many_pixels(max_pixels)
                image.load()
                has_alpha = "A" in image.getbands() or "transparency" in image.info
                target = "RGBA" if has_alpha and source_format not in JPEG_FORMATS else "RGB"
                # No copy of the pixels unless one is needed: memory stays near one decoded picture.
                picture = image if image.mode == target else image.convert(target)
                if image.getexif().get(ORIENTATION, 1) != 1:
                    ImageOps.exif_transpose(picture, in_place=True)
                picture.info = {}
                if max(picture.size) > max_edge:
                    picture.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
                output = io.BytesIO()
                if source_format in JPEG_FORMATS:
                    picture.save(output, format="JPEG", quality=88, exif=b"")
                    content_type = "image/jpeg"
                elif source_format == "WEBP":
                    picture.save(output, format="WEBP", quality=88, exif=b"", xmp=b"", icc_profile=b"")
                    content_type = "image/webp"
                else:
                    picture.save(output, format="PNG")
                    content_type = "image/png"
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError, EOFError, MemoryError, ZeroDivisionError):
        raise not_a_picture from None
    return CheckedFile(output.getvalue(), content_type)


# --- Office files and other containers ----------------------------------------------------
ZIP_FORMATS = {
    "docx": "word/",
    "xlsx": "xl/",
    "pptx": "ppt/",
    "odt": "mimetype",
}


def check_zip_container(data: bytes, extension: str, *, max_unpacked: int = 100 * 1024 * 1024) -> None:
    """An Office (OOXML) or OpenDocument file: a real ZIP of the declared kind, no zip bomb."""
    wrong = ValidationError(
        _("This file is not a valid .%(extension)s file. Please save it again from its program and retry.")
        % {"extension": extension},
        code="file_mismatch",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = [member.filename for member in members]
            unpacked = sum(member.file_size for member in members)
            if extension == "odt":
                if archive.read("mimetype") != b"application/vnd.oasis.opendocument.text":
                    raise wrong
            else:
                kind_found = any(name.startswith(ZIP_FORMATS[extension]) for name in names)
                if "[Content_Types].xml" not in names or not kind_found:
                    raise wrong
            if any("vbaproject" in name.lower() for name in names):
                raise ValidationError(
                    _("This file contains macros, which we do not accept. Please save it without macros."),
                    code="file_macros",
                )
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        raise wrong from None
    if unpacked > max_unpacked:
        raise ValidationError(
            _("This file unpacks to more than %(limit)s MB, which we do not accept.")
            % {"limit": max_unpacked // (1024 * 1024)},
            code="file_unpacked_size",
        )


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


MEDIA_EXTENSIONS = {"mp4", "m4a", "webm", "mp3"}
# What a file of each accepted document extension starts with (or how it reads).
DOCUMENT_SIGNATURES = {
    "rtf": lambda data: data.startswith(b"{\\rtf"),
    "txt": _is_text,
    "csv": _is_text,
    "mp4": lambda data: data[4:8] == b"ftyp",
    "m4a": lambda data: data[4:8] == b"ftyp",
    "webm": lambda data: data.startswith(b"\x1a\x45\xdf\xa3"),
    "mp3": lambda data: data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0),
}


def check_media_signature(head: bytes, extension: str) -> None:
    """Lesson audio or video (wagtailmedia): its first bytes must match its extension."""
    signature = DOCUMENT_SIGNATURES.get(extension.lower().lstrip("."))
    if extension not in MEDIA_EXTENSIONS or signature is None or not signature(head):
        raise ValidationError(
            _("This file's content does not match its .%(extension)s name. Please upload the original file.")
            % {"extension": extension},
            code="file_mismatch",
        )


def clean_document(data: bytes, extension: str) -> bytes:
    """A document (handout, spreadsheet, lesson audio or video) whose content matches its extension.

    PDFs come back rewritten (``clean_pdf``); everything else unchanged once checked. An
    extension this module does not know is refused: add its check here first.
    """
    extension = extension.lower().lstrip(".")
    mismatch = ValidationError(
        _("This file's content does not match its .%(extension)s name. Please upload the original file.")
        % {"extension": extension},
        code="file_mismatch",
    )
    if is_pdf(data) and extension != "pdf":
        raise mismatch
    if extension == "pdf":
        if not is_pdf(data):
            raise mismatch
        return clean_pdf(data)
    if extension in ZIP_FORMATS:
        check_zip_container(data, extension)
        return data
    signature = DOCUMENT_SIGNATURES.get(extension)
    if signature is None or not signature(data):
        raise mismatch
    return data
