"""The polite answer to an email that could not be imported: what was wrong and what to do, sent once."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from email.message import EmailMessage
from email.utils import make_msgid

from google.cloud import firestore

from leadimport.errors import TerminalError, TransientError
from leadimport.inbound.message import InboundMessage
from leadimport.report.mail.phrases import phrase
from leadimport.report.mail.reply import reply_headers
from leadimport.report.mail.send import send_message
from leadimport.settings import Settings
from leadimport.store.deliveries import claim_delivery
from leadimport.store.retention import DETAIL_DAYS, expires

log = logging.getLogger(__name__)
REFUSALS_PER_DAY = 10  # answers to one sender in a day: enough for a person, too few to make us a mail cannon


def send_refusal(db: firestore.Client, message: InboundMessage, reason: str, locale: str, mail_from: str,
                 settings: Settings, reply_to: str | None = None, **params: object) -> bool:
    """True when a refusal went out now; never to automatic mail (loops) or to a From nobody proved: a
    forged one would make us mail whoever the forger named (backscatter)."""
    if message.automatic or not message.sender or not message.proven_by:
        return False
    key = hashlib.sha256(f"{message.message_id}\x1f{reason}\x1f{params}".encode()).hexdigest()[:32]
    delivery = db.collection("inbound_replies").document(key)
    if not claim_delivery(delivery):  # the provider delivered this message again: answered already
        return False
    if not _spend_daily_budget(db, message.sender):  # a sender who keeps writing is not answered all day
        delivery.update({"status": "refused", "error": "daily limit", "at": dt.datetime.now(dt.UTC)})
        log.warning("inbound mail refused (%s): not answered, the sender's daily answers are spent", reason)
        return False
    reply = EmailMessage()
    reply_headers(reply, message.message_id, message.references, message.subject or "Lead Import")
    reply["From"] = mail_from
    reply["To"] = message.sender
    if reply_to:  # answering this answer with the file attached sends it where it should have gone
        reply["Reply-To"] = reply_to
    reply["Message-ID"] = make_msgid(domain="leadimport")
    reply["Auto-Submitted"] = "auto-replied"  # RFC 3834: the sender's auto-responder must not answer it
    reply["X-Leadimport-Refusal"] = reason
    reply.set_content("\n\n".join([phrase("greeting", locale), phrase(f"refused_{reason}", locale, **params),
                                   "-- \n" + phrase("automatic", locale)]) + "\n")
    try:
        send_message(reply, settings)
    except TransientError:
        delivery.update({"status": "failed", "at": dt.datetime.now(dt.UTC)})
        raise
    except TerminalError:  # the sender's mailbox does not exist: nobody to tell
        delivery.update({"status": "refused", "at": dt.datetime.now(dt.UTC)})
        return False
    delivery.update({"status": "sent", "reason": reason, "at": dt.datetime.now(dt.UTC)})
    log.info("inbound mail refused (%s): answered", reason)
    return True


def _spend_daily_budget(db: firestore.Client, sender: str) -> bool:
    """One of the sender's answers for today, if any are left (a transaction: two webhooks never share one)."""
    day = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    ref = db.collection("inbound_reply_budget").document(
        hashlib.sha256(f"{sender}\x1f{day}".encode()).hexdigest()[:32])

    @firestore.transactional
    def spend(transaction: firestore.Transaction) -> bool:
        snap = ref.get(transaction=transaction)
        used = int((snap.to_dict() or {}).get("used") or 0) if snap.exists else 0
        if used >= REFUSALS_PER_DAY:
            return False
        transaction.set(ref, {"used": used + 1, **expires(DETAIL_DAYS)})
        return True

    return bool(spend(db.transaction()))
