"""Hostile input, generated: messages and sheets built from the pieces attacks are made of (forged and
doubled From headers, Authentication-Results from anywhere, parts nested deep and by the hundred,
tag soup; rows and cells at the grid's far corners, tags left open, positions left out). Each case
must end in bounded time and memory, with a result or a clear refusal, never an exception: what a
stranger can send must never crash a function into the platform's retries."""

from __future__ import annotations

import contextlib
import io
import resource
import zipfile
from email.message import EmailMessage

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_read_fuzz import _read_all

from leadimport.inbound.message import parse_message
from leadimport.inbound.options import OptionsError, options_from_mail
from leadimport.inbound.sender_proof import prove_sender

# a case that takes longer than this, or a run that grows the process by more than that, is a finding
_BUDGET = settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])
_GROWTH_MB = 600

_FROMS = ["ana@inmosol.ec", "Ana Torres <ana@inmosol.ec>", "boss@acme.ec)<attacker@evil.test>",
          "\"boss@acme.ec\" <attacker@evil.test>", "a@x.ec, b@y.ec", "=?utf-8?q?Jos=C3=A9?= <jose@acme.ec>",
          "<>", "", "ana@inmosol", "José <jose@ñandú.ec>", "x" * 3000 + "@evil.test"]
_RESULTS = ["mx.leads.localhost; dmarc=pass header.from=inmosol.ec",
            "mx.leads.localhost; spf=pass smtp.mailfrom=e.test",
            "mx.google.com; dkim=pass header.d=inmosol.ec", "mx.leads.localhost; dkim=pass header.d=ec",
            "mx.leads.localhost; arc=none (dkim=pass header.d=inmosol.ec)", "mx.leads.localhost; " + "a" * 9000,
            "mx.leads.localhost; dkim=pass header.i=@" + "a." * 2000, ";;;===((((", ""]
_SOUP = ["<script", "<style>", "</script>", "</style>", "<br>", "<p>", "</div>", "<", ">", "a.", "@", " " * 50,
         "modo: create-only", "note:" + " " * 200 + "x", "&nbsp;", "--\n", "> quoted", "\n"]
_MB = 1024


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / _MB


_START = _rss_mb()


@st.composite
def _messages(draw: st.DrawFn) -> bytes:
    head = "".join(f"From: {draw(st.sampled_from(_FROMS))}\r\n" for _ in range(draw(st.integers(0, 3))))
    head += "".join(f"Authentication-Results: {draw(st.sampled_from(_RESULTS))}\r\n"
                    for _ in range(draw(st.integers(0, 3))))
    subject = draw(st.text(max_size=300)).replace("\r", "\r\n")  # CR/LF and anything else a subject can carry
    head += f"To: import+inmosol@leads.localhost\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n"
    soup = "".join(draw(st.lists(st.sampled_from(_SOUP), max_size=400)))
    leaf = EmailMessage()
    leaf.set_content(soup, subtype=draw(st.sampled_from(["plain", "html"])))
    for n in range(draw(st.integers(0, 260))):  # past MAX_PARTS sometimes
        leaf.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename=f"=?utf-8?q?{n}=0D=0A?=.csv")
    if leaf.is_multipart():
        leaf.set_boundary("leaf")  # the library's own is random: a strategy must not be
    body = leaf.as_string().split("\n\n", 1)
    depth = draw(st.integers(0, 40) | st.just(1_500))  # past MAX_DEPTH, and past Python's stack, sometimes
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth))
    closing = "".join(f"\r\n--b{i}--" for i in reversed(range(depth)))
    return (head + opening + body[0] + "\r\n\r\n" + (body[1] if len(body) > 1 else "") + closing).encode(
        "utf-8", "surrogateescape")


@_BUDGET
@given(_messages())
def test_a_hostile_message_is_read_in_bounded_time_and_never_raises(raw: bytes) -> None:
    message = parse_message(raw)
    prove_sender(message, ["mx.leads.localhost"], "{@inmosol.ec : pass}")
    with contextlib.suppress(OptionsError):  # an option that cannot be used is a refusal the sender is told about
        options_from_mail(message.subject, message.body)
    assert len(message.attachments) <= 200 and "\n" not in message.subject
    assert _rss_mb() - _START < _GROWTH_MB


_REFS = ["A1", "B2", "Z9", "AA10", "XFD1", "A1048576", "XFD1048576", "XFE1", "A1048577", "ZZZZ5", "A0", "1A", ""]


@st.composite
def _sheets(draw: st.DrawFn) -> bytes:
    pieces = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.sampled_from(["row", "row_bare", "cell", "cell_bare", "cell_empty", "open", "close", "junk"]))
        if kind == "row":
            pieces.append(f'<row r="{draw(st.integers(0, 2**31))}">')
        elif kind == "row_bare":
            pieces.append("<row>")
        elif kind == "cell":
            pieces.append(f'<c r="{draw(st.sampled_from(_REFS))}" t="inlineStr"><is><t>x</t></is></c>')
        elif kind == "cell_bare":
            pieces.append("<c>" * draw(st.integers(1, 3000)) + '<c t="inlineStr"><is><t>y</t></is></c>')
        elif kind == "cell_empty":
            pieces.append("<c/>" * draw(st.integers(1, 3000)))
        elif kind == "open":
            pieces.append(draw(st.sampled_from(["<row ", "<c ", "<c r=", "<is><t>"])) * draw(st.integers(1, 5000)))
        elif kind == "close":
            pieces.append(draw(st.sampled_from(["</row>", "</c>", ">", "</sheetData>"])))
        else:
            pieces.append(draw(st.text(max_size=40)).replace("<", "&lt;"))
    dimension = draw(st.sampled_from(["", '<dimension ref="A1:XFD1048576"/>', '<dimension ref="A1"/>']))
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'{dimension}<sheetData>{"".join(pieces)}</sheetData></worksheet>').encode("utf-8", "surrogateescape")


def _xlsx(sheet: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
                         '+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml"'
                         ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                         '</Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                         'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                         'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                         'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def _read_or_refuse(data: bytes, name: str) -> None:
    _read_all(data, name)  # rows, or a refusal with a reason a person can read
    assert _rss_mb() - _START < _GROWTH_MB


@_BUDGET
@given(_sheets())
def test_a_hostile_sheet_is_read_or_refused_in_bounded_time_and_memory(sheet: bytes) -> None:
    # on both readers: calamine for a small sheet, the streamer past its threshold (forced by the extent)
    _read_or_refuse(_xlsx(sheet), "hostile.xlsx")


@_BUDGET
@given(st.lists(st.sampled_from([",", ";", "\t", "|", '"', "\n", "\r", "a" * 1000, "x" * 140_000, "=1+1", "@",
                                 ",," * 3000, "ñ"]), max_size=60))
def test_a_hostile_csv_is_read_or_refused_in_bounded_time_and_memory(pieces: list[str]) -> None:
    _read_or_refuse("".join(pieces).encode(), "hostile.csv")
