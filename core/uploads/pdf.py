"""PDF uploads checked with a real parser: ``clean_pdf`` returns qpdf's rewrite or refuses the file.

Each PDF is parsed with pikepdf (qpdf) without repairing it, so a file that does
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
"""

from __future__ import annotations

import io
import re
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import pikepdf

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


def _walk(item: pikepdf.Object, depth: int = 0) -> None:
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


def _check_dictionary(dictionary: pikepdf.Dictionary, depth: int) -> None:
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


def _check_action(action: pikepdf.Object) -> None:
    if not isinstance(action, pikepdf.Dictionary):
        raise ActivePDF
    kind = str(action.get("/S", ""))
    if kind not in SAFE_ACTIONS:
        raise ActivePDF
    if kind == "/Named" and str(action.get("/N", "")) not in SAFE_NAMED_ACTIONS:
        raise ActivePDF
    if kind == "/URI":
        _check_uri(action.get("/URI"))


def _check_uri(value: pikepdf.Object | None) -> None:
    if value is None:
        return
    if not isinstance(value, pikepdf.String):
        raise ActivePDF
    address = bytes(value).decode("latin-1").strip().lower()
    if not address.startswith(SAFE_URI_SCHEMES):
        raise ActivePDF
