"""The report email: summary counts, a bar of outcomes, the first errors, the error files attached."""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from leadimport.core.models import TO_FIX_CODES, Counts, RowResult
from leadimport.core.text import one_line
from leadimport.report.mail.phrases import phrase
from leadimport.report.mail.reply import reply_headers

FIRST_ERRORS = 20
_COLOURS = {"created": "#188038", "updated": "#1a73e8", "unchanged": "#9aa0a6",
            "skipped": "#f9ab00", "errors": "#d93025"}


@dataclass
class ReportContent:
    job_id: str
    filename: str
    status: str
    error: str | None
    counts: Counts
    rows: list[RowResult]
    notes: list[str]
    attachments: dict[str, tuple[bytes, str]]  # file name → (bytes, mime type)
    # files too big to attach: file name → a signed link, valid until links_until (and their size in words)
    links: dict[str, str] = dataclasses.field(default_factory=dict)
    links_until: str = ""
    links_size: str = ""
    locale: str = "en"  # the tenant's language
    sheet_url: str | None = None  # the Google Sheet the rows came from
    in_reply_to: dict[str, Any] | None = None  # the email the file came in: the report answers it


SHEET_LINK = "https://docs.google.com/spreadsheets/"


def subject_line(content: ReportContent) -> str:
    file = one_line(content.filename, 80)  # whoever named the file: one short line, or the mail would not go
    if content.status == "failed":
        return phrase("subject_failed", content.locale, file=file)
    c = content.counts
    return phrase("subject_done", content.locale, file=file, created=c.created, updated=c.updated, errors=c.errors)


def compose(content: ReportContent, sender: str, recipients: list[str]) -> EmailMessage:
    message = EmailMessage()
    mail = content.in_reply_to
    if mail and mail.get("message_id"):  # threaded under the sender's own message, in their mail client
        original = one_line(str(mail.get("subject") or ""), 200)
        summary = subject_line(content)
        reply_headers(message, str(mail["message_id"]), [str(r) for r in mail.get("references") or []],
                      f"{original} — {summary}" if original else summary)
        if _import_address(content):  # replying with the fixed file imports it
            message["Reply-To"] = _import_address(content)
    else:
        message["Subject"] = subject_line(content)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = make_msgid(idstring=content.job_id, domain="leadimport")
    message["X-Leadimport-Job"] = content.job_id
    if content.sheet_url and not content.sheet_url.startswith(SHEET_LINK):
        content = dataclasses.replace(content, sheet_url=None)  # only a Google Sheet's own link is offered
    message.set_content(_text(content))
    message.add_alternative(_html(content), subtype="html")
    for name, (data, mime) in content.attachments.items():
        maintype, subtype = mime.split(";")[0].split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def _import_address(content: ReportContent) -> str | None:
    """The address an emailed file came to: a reply with the fixed file goes back there."""
    return str(content.in_reply_to["to"]) if content.in_reply_to and content.in_reply_to.get("to") else None


def _summary(counts: Counts) -> list[tuple[str, int]]:
    return [("created", counts.created), ("updated", counts.updated), ("unchanged", counts.unchanged),
            ("skipped", counts.skipped), ("errors", counts.errors)]


def _first_errors(rows: list[RowResult], left_out: bool = False) -> list[tuple[int, str]]:
    """(row, message) of the first errors; with `left_out`, of the values left out of imported leads."""
    listed = []
    for result in rows:
        if left_out and result.status == "error":
            continue  # a refused row is listed as not imported, never as imported without a value
        issues = [w for w in result.warnings if w.code in TO_FIX_CODES] if left_out else result.errors
        for issue in issues:
            listed.append((result.row, issue.message))
            if len(listed) == FIRST_ERRORS:
                return listed
    return listed


def _text(content: ReportContent) -> str:
    loc = content.locale
    lines = [phrase("title", loc, file=content.filename), ""]
    if content.status == "failed":
        lines += [phrase("failed", loc), content.error or "?", ""]
    lines.append(f"{phrase('rows_read', loc)}: {content.counts.rows}")
    lines += [f"  {phrase(label, loc)}: {value}" for label, value in _summary(content.counts)]
    if content.sheet_url:
        lines += ["", phrase("sheet", loc), content.sheet_url]
    if content.notes:
        lines += ["", *[f"{phrase('note', loc)}: {note}" for note in content.notes]]
    errors, left = _first_errors(content.rows), _first_errors(content.rows, left_out=True)
    for title, listed in (("not_imported", errors), ("left_out", left)):
        if listed:
            lines += ["", f"{phrase(title, loc)}:"]
            lines += [f"  {phrase('row', loc)} {row}: {message}" for row, message in listed]
    if errors or left:
        lines += ["", phrase("listed", loc)]
        if _import_address(content):
            lines.append(phrase("reply_with_fix", loc))
    if content.links:
        lines += ["", phrase("files_linked", loc, size=content.links_size, until=content.links_until) + ":"]
        lines += [f"  {name}: {url}" for name, url in content.links.items()]
    lines += ["", phrase("job", loc, job=content.job_id)]
    return "\n".join(lines) + "\n"


def _html(content: ReportContent) -> str:
    e, loc = html.escape, content.locale
    parts = [f"<h2 style='font-family:Arial,sans-serif'>{e(phrase('title', loc, file=content.filename))}</h2>"]
    if content.status == "failed":
        parts.append(f"<p style='color:#d93025;font-family:Arial,sans-serif'><b>{e(phrase('failed', loc))}</b> "
                     f"{e(content.error or '')}</p>")
    total = max(content.counts.rows, 1)
    # A one-row table of coloured cells: renders in mail clients that ignore CSS and images.
    cells = "".join(
        f"<td width='{max(1, round(100 * value / total))}%' bgcolor='{_COLOURS[label]}' "
        f"style='height:14px;font-size:0;line-height:0'>&nbsp;</td>"
        for label, value in _summary(content.counts) if value
    )
    if cells:
        parts.append("<table width='100%' cellpadding='0' cellspacing='0' role='presentation'>"
                     f"<tr>{cells}</tr></table>")
    rows = "".join(
        f"<tr><td style='padding:2px 12px 2px 0'><span style='color:{_COLOURS[label]}'>&#9632;</span> "
        f"{e(phrase(label, loc))}</td><td align='right'>{value}</td></tr>"
        for label, value in _summary(content.counts)
    )
    parts.append(f"<table style='font-family:Arial,sans-serif;margin-top:8px'>"
                 f"<tr><td style='padding-right:12px'><b>{e(phrase('rows_read', loc))}</b></td><td align='right'><b>"
                 f"{content.counts.rows}</b></td></tr>{rows}</table>")
    if content.sheet_url:
        parts.append(f"<p style='font-family:Arial,sans-serif'><a href='{e(content.sheet_url)}'>"
                     f"{e(phrase('sheet', loc))}</a></p>")
    for note in content.notes:
        parts.append(f"<p style='font-family:Arial,sans-serif;color:#5f6368'>{e(note)}</p>")
    errors, left = _first_errors(content.rows), _first_errors(content.rows, left_out=True)
    for title, listed in (("not_imported", errors), ("left_out", left)):
        if not listed:
            continue
        body = "".join(f"<tr><td>{row}</td><td>{e(message)}</td></tr>" for row, message in listed)
        parts.append(f"<h3 style='font-family:Arial,sans-serif'>{e(phrase(title, loc))}</h3>"
                     "<table border='1' cellpadding='4' cellspacing='0' style='border-collapse:collapse;"
                     f"font-family:Arial,sans-serif'><tr><th>{e(phrase('row', loc))}</th>"
                     f"<th>{e(phrase('problem', loc))}</th></tr>{body}</table>")
    if errors or left:
        parts.append(f"<p style='font-family:Arial,sans-serif'>{e(phrase('listed', loc))}</p>")
        if _import_address(content):
            parts.append(f"<p style='font-family:Arial,sans-serif'>{e(phrase('reply_with_fix', loc))}</p>")
    if content.links:
        items = "".join(f"<li><a href='{e(url)}'>{e(name)}</a></li>" for name, url in content.links.items())
        said = phrase("files_linked", loc, size=content.links_size, until=content.links_until)
        parts.append(f"<p style='font-family:Arial,sans-serif'>{e(said)}:</p>"
                     f"<ul style='font-family:Arial,sans-serif'>{items}</ul>")
    parts.append(f"<p style='font-family:Arial,sans-serif;color:#9aa0a6;font-size:12px'>"
                 f"{e(phrase('job', loc, job=content.job_id))}</p>")
    return "<html><body>" + "".join(parts) + "</body></html>"
