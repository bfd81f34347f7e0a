"""E-mails to the customer: an agent's reply, and the resolution with the signed CSAT link.

``queue`` writes a ``support_mail`` row and records ``SupportMailQueued`` in the caller's transaction; the outbox
handler renders it in the ticket's language and sends it through ``adapters.mailer`` after commit. A send that
fails raises, so the outbox retries it with growing pauses and finally keeps it as a dead letter.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

from sqlalchemy.orm import Session

from omniretail.kernel import clock, i18n
from omniretail.kernel.i18n import N_
from omniretail.kernel.mail import Mailer, OutgoingMail
from omniretail.kernel.outbox import record
from omniretail.support.events import SupportMailQueued
from omniretail.support.models import Mail, Ticket

REPLY, RESOLVED = "reply", "resolved"
PENDING, SENT = "pending", "sent"

REPLY_SUBJECT = N_("Re: your request %(number)s: %(subject)s")
REPLY_FOOTER = N_("To answer, reply to this e-mail and keep %(number)s in the subject.")
RESOLVED_SUBJECT = N_("Your request %(number)s is resolved")
RESOLVED_TEXT = N_("We consider your request %(number)s resolved. How did we do? Rate us from 1 to 5:")
GREETING = N_("Hello %(name)s,")


def _key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


def csat_token(secret: str, ticket_id: uuid.UUID) -> str:
    """The token in a ticket's survey link: an HMAC of the ticket id, so it cannot be guessed for another."""
    digest = hmac.new(_key(secret, "support.csat"), str(ticket_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def csat_token_ok(secret: str, ticket_id: uuid.UUID, token: str) -> bool:
    return hmac.compare_digest(csat_token(secret, ticket_id), token[:64])


def inbound_signature(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: what the mail gateway puts in ``X-Signature`` for an inbound e-mail's raw JSON body."""
    return "sha256=" + hmac.new(_key(secret, "support.inbound-email"), body, hashlib.sha256).hexdigest()


def inbound_signature_ok(secret: str, body: bytes, signature: str | None) -> bool:
    return signature is not None and hmac.compare_digest(inbound_signature(secret, body), signature.strip()[:100])


def queue(*, session: Session, ticket: Ticket, kind: str, body: str | None) -> Mail | None:
    """Log an e-mail to the ticket's customer and have it sent after commit (None without an address)."""
    if not ticket.email:
        return None
    mail = Mail(ticket_id=ticket.id, to=ticket.email, kind=kind, locale=ticket.locale, body=body,
                status=PENDING, attempts=0)
    session.add(mail)
    session.flush()
    record(session, SupportMailQueued(mail.id))
    return mail


def render(mail: Mail, ticket: Ticket, *, base_url: str, secret: str) -> OutgoingMail:
    """The e-mail in the customer's language."""
    token = i18n.current_locale.set(mail.locale if mail.locale in i18n.LOCALES else i18n.DEFAULT_LOCALE)
    try:
        values = {"number": ticket.number, "subject": ticket.subject, "name": ticket.name or ""}
        lines = [i18n.gettext(GREETING) % values, ""]
        if mail.kind == REPLY:
            subject = i18n.gettext(REPLY_SUBJECT) % values
            lines += [mail.body or "", "", "--", i18n.gettext(REPLY_FOOTER) % values]
        else:
            subject = i18n.gettext(RESOLVED_SUBJECT) % values
            link = f"{base_url}/support/csat/{ticket.id}?token={csat_token(secret, ticket.id)}"
            lines += [i18n.gettext(RESOLVED_TEXT) % values, link]
    finally:
        i18n.current_locale.reset(token)
    return OutgoingMail(to=mail.to, subject=subject, text="\n".join(lines) + "\n")


def send(*, session: Session, mailer: Mailer, mail_id: uuid.UUID, base_url: str, secret: str) -> str:
    """Send one logged e-mail unless it went already; a failure raises so the outbox retries."""
    mail = session.get(Mail, mail_id)
    if mail is None or mail.status == SENT:
        return SENT
    ticket = session.get(Ticket, mail.ticket_id)
    assert ticket is not None
    mail.attempts += 1
    mailer.send(render(mail, ticket, base_url=base_url, secret=secret))
    mail.status, mail.sent_at = SENT, clock.now()
    session.flush()
    return SENT
