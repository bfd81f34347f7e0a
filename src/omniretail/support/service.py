"""Support use cases: open tickets from every channel, log every action, replies by e-mail, status changes with
paused SLA clocks, assignment, escalation, callbacks, chat transcripts and CSAT. Services flush, never commit.

Who did something is an actor string: ``staff:<e-mail>``, ``customer:<e-mail>`` or ``system:<what>``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from omniretail.customers import service as customers_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock, i18n
from omniretail.kernel.errors import FieldError, InvalidInput, NotFound
from omniretail.kernel.numbers import next_number
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service
from omniretail.support import mailing, rules, sla
from omniretail.support.events import TicketEscalated, TicketOpened, TicketResolved
from omniretail.support.exceptions import (
    BadTransition,
    CsatAlreadyGiven,
    CsatRefused,
    TicketClosed,
    TicketNotAllowed,
    TicketNotFound,
)
from omniretail.support.models import Action, Callback, Team, Ticket
from omniretail.support.rules import ActionKind, Status

NUMBER_PREFIX = "T"
NUMBER_IN_SUBJECT = re.compile(r"\bT-\d{6,}\b")


def staff_actor(principal: Principal) -> str:
    return f"staff:{principal.email}"


# --- reading ----------------------------------------------------------------------------------------------------

def visible_to(actor: Principal, ticket: Ticket) -> bool:
    """Global agents see every ticket; store agents the tickets raised at their stores."""
    places = actor.locations_for(Permission.SUPPORT_MANAGE)
    return places is None or (ticket.location_id is not None and ticket.location_id in places)


def get_ticket(*, session: Session, ticket_id: uuid.UUID, actor: Principal | None = None) -> Ticket:
    """The ticket, or TicketNotFound when it does not exist or ``actor`` may not see it."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or (actor is not None and not visible_to(actor, ticket)):
        raise TicketNotFound()
    return ticket


def find_by_number(*, session: Session, number: str) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.number == number))


def actions_of(*, session: Session, ticket_id: uuid.UUID) -> list[Action]:
    """The ticket's log, oldest first."""
    return list(session.scalars(select(Action).where(Action.ticket_id == ticket_id)
                                .order_by(Action.at, Action.id)))


def callbacks_of(*, session: Session, ticket_id: uuid.UUID) -> list[Callback]:
    return list(session.scalars(select(Callback).where(Callback.ticket_id == ticket_id).order_by(Callback.due_at)))


# --- the log ----------------------------------------------------------------------------------------------------

def log(*, session: Session, ticket: Ticket, kind: str, actor: str, body: str | None = None,
        data: dict[str, Any] | None = None, at: datetime | None = None) -> Action:
    """Append one line to the ticket's log (there is no way to change or delete one)."""
    action = Action(ticket_id=ticket.id, kind=kind, actor=actor[:120], body=body, data=data or {},
                    at=at or clock.now())
    session.add(action)
    ticket.updated_at = clock.now()
    session.flush()
    return action


def _writable(ticket: Ticket) -> None:
    if ticket.status == Status.CLOSED:
        raise TicketClosed()


# --- opening ----------------------------------------------------------------------------------------------------

def _route(session: Session, category: str) -> Team | None:
    teams = list(session.scalars(select(Team).order_by(Team.code)))
    for team in teams:
        if category in (team.categories or []):
            return team
    return next((t for t in teams if t.is_default), None)


def _team(session: Session, team_id: uuid.UUID) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise InvalidInput("No such team", errors=[FieldError(("body", "team_id"), "unknown team")])
    return team


def _contact(session: Session, customer_id: uuid.UUID | None) -> dict[str, Any]:
    if customer_id is None:
        return {}
    contact = customers_service.contact_of(session=session, customer_id=customer_id)
    if contact is not None:
        return {"email": contact.email, "name": contact.name, "phone": contact.phone, "locale": contact.language,
                "tier": contact.tier}
    account = identity_service.customer_contact(session=session, customer_id=customer_id)
    return {"email": account[0], "name": account[1], "locale": account[2]} if account else {}


def open_ticket(*, session: Session, channel: str, subject: str, body: str | None, actor: str,
                category: str = "other", priority: str = rules.Priority.NORMAL, customer_id: uuid.UUID | None = None,
                email: str | None = None, name: str | None = None, phone: str | None = None,
                locale: str | None = None, order_id: uuid.UUID | None = None, return_id: uuid.UUID | None = None,
                shipment_id: uuid.UUID | None = None, review_id: uuid.UUID | None = None,
                location_id: uuid.UUID | None = None, team_id: uuid.UUID | None = None,
                source_key: str | None = None, data: dict[str, Any] | None = None) -> Ticket:
    """Open a ticket with its SLA clocks running; with ``source_key``, a second call returns the first ticket."""
    if source_key is not None:
        existing = session.scalar(select(Ticket).where(Ticket.source_key == source_key))
        if existing is not None:
            return existing
    known = _contact(session, customer_id)
    team = _team(session, team_id) if team_id else _route(session, category)
    language = locale or known.get("locale") or i18n.DEFAULT_LOCALE
    ticket = Ticket(source_key=source_key,
                    channel=rules.Channel(channel).value, category=category, priority=rules.Priority(priority).value,
                    status=Status.OPEN.value, subject=subject[:200], customer_id=customer_id,
                    email=(email or known.get("email") or None), name=name or known.get("name"),
                    phone=phone or known.get("phone"), locale=language if language in i18n.LOCALES else "en",
                    tier=known.get("tier"), order_id=order_id, return_id=return_id, shipment_id=shipment_id,
                    review_id=review_id, location_id=location_id, team_id=team.id if team else None, level=1,
                    clock_started_at=clock.now(), paused_minutes=0)
    if ticket.email:
        ticket.email = ticket.email.lower()
    with session.no_autoflush:
        sla.apply_targets(session, ticket, restart=True)
    try:
        # A savepoint, so that a concurrent twin with the same source key (and its ticket number) rolls back alone.
        with session.begin_nested():
            ticket.number = next_number(session=session, prefix=NUMBER_PREFIX)
            session.add(ticket)
            session.flush()
    except IntegrityError:
        twin = session.scalar(select(Ticket).where(Ticket.source_key == source_key)) if source_key else None
        if twin is None:
            raise
        return twin
    log(session=session, ticket=ticket, kind=ActionKind.CREATED, actor=actor, body=body,
        data={"channel": ticket.channel, **(data or {})})
    record(session, TicketOpened(ticket.id, ticket.number, ticket.channel, ticket.category, ticket.priority))
    return ticket


def open_or_append(*, session: Session, order_id: uuid.UUID, category: str, subject: str, body: str,
                   event_key: str, priority: str = rules.Priority.HIGH, shipment_id: uuid.UUID | None = None,
                   customer_id: uuid.UUID | None = None, data: dict[str, Any] | None = None) -> Ticket:
    """Append an automatic event to the order's open ticket of this category, or open one (once per event)."""
    ticket = session.scalar(select(Ticket).where(Ticket.order_id == order_id, Ticket.category == category,
                                                 Ticket.status.in_([s.value for s in rules.OPEN_STATUSES]))
                            .order_by(Ticket.id.desc()).limit(1))
    if ticket is not None:
        if not any(a.data.get("event_key") == event_key for a in actions_of(session=session, ticket_id=ticket.id)):
            log(session=session, ticket=ticket, kind=ActionKind.EVENT, actor="system:events", body=body,
                data={"event_key": event_key, **(data or {})})
        return ticket
    email = None
    try:
        order = ordering_service.get_order(session=session, order_id=order_id)
        customer_id, email = customer_id or order.customer_id, order.email
    except NotFound:
        pass
    return open_ticket(session=session, channel=rules.Channel.SYSTEM, subject=subject, body=body,
                       actor="system:events", category=category, priority=priority, customer_id=customer_id,
                       email=email, order_id=order_id, shipment_id=shipment_id, source_key=event_key,
                       data={"event_key": event_key, **(data or {})})


def open_review_callback(*, session: Session, review_id: uuid.UUID, customer_id: uuid.UUID | None,
                         order_id: uuid.UUID | None, rating: int, sentiment: float, locale: str, title: str,
                         body: str) -> Ticket | None:
    """A poor review opens "call the customer back within 24 hours" with the order attached, once per review."""
    if not rules.review_needs_callback(rating=rating, sentiment=sentiment):
        return None
    key = f"review:{review_id}"
    existing = session.scalar(select(Ticket).where(Ticket.source_key == key))
    if existing is not None:
        return existing
    email = None
    if order_id is not None:
        with suppress(NotFound):
            email = ordering_service.get_order(session=session, order_id=order_id).email
    ticket = open_ticket(session=session, channel=rules.Channel.SYSTEM, actor="system:reviews",
                         subject=f"Call the customer back within 24 hours: {rating}/5 review",
                         body=f"{title}\n\n{body}".strip(), category="review", priority=rules.Priority.HIGH,
                         customer_id=customer_id, email=email, locale=locale, order_id=order_id,
                         review_id=review_id, source_key=key, data={"rating": rating, "sentiment": sentiment})
    schedule_callback(session=session, ticket=ticket, actor="system:reviews",
                      due_at=clock.now() + rules.CALLBACK_WITHIN, note="Call the customer back about their review")
    return ticket


def record_chat(*, session: Session, chat_id: uuid.UUID, customer_id: uuid.UUID | None, name: str | None,
                email: str | None, locale: str, transcript: Sequence[tuple[datetime, str, str]],
                agent_staff_id: uuid.UUID | None) -> uuid.UUID:
    """Open a ticket on channel "chat" for this chat (or reuse the one already opened for chat_id) and append the
    transcript (at, author, text) as one logged action of kind "chat_transcript"; return the ticket id."""
    first = transcript[0][2] if transcript else ""
    ticket = open_ticket(session=session, channel=rules.Channel.CHAT, subject=(first or "Live chat")[:120],
                         body=None, actor=f"customer:{email}" if email else "system:chat", category="chat",
                         customer_id=customer_id, email=email, name=name, locale=locale,
                         source_key=f"chat:{chat_id}", data={"chat_id": str(chat_id)})
    if ticket.assignee_id is None and agent_staff_id is not None:
        ticket.assignee_id = agent_staff_id
    text = "\n".join(f"[{at.isoformat(timespec='seconds')}] {author}: {line}" for at, author, line in transcript)
    log(session=session, ticket=ticket, kind=ActionKind.CHAT_TRANSCRIPT,
        actor=f"staff:{agent_staff_id}" if agent_staff_id else "system:chat", body=text,
        data={"chat_id": str(chat_id), "lines": [{"at": at.isoformat(), "author": author, "text": line}
                                                  for at, author, line in transcript]})
    return ticket.id


# --- inbound e-mail ---------------------------------------------------------------------------------------------

def guess_language(text: str) -> str | None:
    """A cheap guess of the language a customer wrote in (None when it looks like English or is unclear)."""
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    if re.search(r"[\u0400-\u04ff]", text):
        return "ru"
    if re.search(r"[āēīūķļņģ]", text, re.IGNORECASE):
        return "lv"
    if re.search(r"[ąćęłńśźż]", text, re.IGNORECASE):
        return "pl"
    return None


def receive_email(*, session: Session, sender: str, name: str | None, subject: str, text: str,
                  message_id: str | None = None, language: str | None = None) -> tuple[Ticket, bool]:
    """File an inbound e-mail: a reply on the ticket named in the subject, else a new ticket. True when new."""
    sender = sender.strip().lower()
    match = NUMBER_IN_SUBJECT.search(subject)
    ticket = find_by_number(session=session, number=match.group(0)) if match else None
    if ticket is not None and ticket.email == sender and ticket.status != Status.CLOSED:
        customer_message(session=session, ticket=ticket, actor=f"customer:{sender}", body=text)
        return ticket, False
    key = f"email:{message_id}" if message_id else None
    if key and session.scalar(select(Ticket.id).where(Ticket.source_key == key)) is not None:
        existing = session.scalar(select(Ticket).where(Ticket.source_key == key))
        assert existing is not None
        return existing, False
    customer_id = identity_service.customer_account_id(session=session, email=sender)
    locale = language or guess_language(f"{subject}\n{text}")
    ticket = open_ticket(session=session, channel=rules.Channel.EMAIL, subject=subject or "(no subject)",
                         body=text, actor=f"customer:{sender}", customer_id=customer_id, email=sender, name=name,
                         locale=locale, source_key=key)
    return ticket, True


def customer_message(*, session: Session, ticket: Ticket, actor: str, body: str) -> Action:
    """The customer wrote again: log it and start the clock again (a resolved ticket reopens)."""
    _writable(ticket)
    action = log(session=session, ticket=ticket, kind=ActionKind.CUSTOMER_MESSAGE, actor=actor, body=body)
    if ticket.status in (Status.WAITING_CUSTOMER, Status.RESOLVED):
        _move(session, ticket, Status.OPEN, actor=actor, reason="customer replied")
    return action


# --- agent actions ----------------------------------------------------------------------------------------------

def _require(actor: Principal, ticket: Ticket) -> None:
    if not visible_to(actor, ticket):
        raise TicketNotAllowed()


def reply(*, session: Session, ticket: Ticket, actor: Principal, body: str, wait_for_customer: bool = False
          ) -> Action:
    """Answer the customer: logged, e-mailed in their language, and the first-response clock stops."""
    _require(actor, ticket)
    _writable(ticket)
    mail = mailing.queue(session=session, ticket=ticket, kind=mailing.REPLY, body=body)
    action = log(session=session, ticket=ticket, kind=ActionKind.REPLY, actor=staff_actor(actor), body=body,
                 data={"mail_id": str(mail.id) if mail else None, "to": ticket.email})
    if ticket.first_responded_at is None:
        ticket.first_responded_at = clock.now()
        ticket.first_response_due_at = None
        sla.refresh_watch(ticket)
    if wait_for_customer:
        _move(session, ticket, Status.WAITING_CUSTOMER, actor=staff_actor(actor), reason="waiting for the customer")
    return action


def add_note(*, session: Session, ticket: Ticket, actor: Principal, body: str) -> Action:
    """An internal note the customer never sees."""
    _require(actor, ticket)
    _writable(ticket)
    return log(session=session, ticket=ticket, kind=ActionKind.NOTE, actor=staff_actor(actor), body=body)


def log_call(*, session: Session, ticket: Ticket, actor: Principal, body: str, reached: bool = True) -> Action:
    """A phone call with the customer; a call that reached them completes the open callbacks."""
    _require(actor, ticket)
    _writable(ticket)
    action = log(session=session, ticket=ticket, kind=ActionKind.CALL, actor=staff_actor(actor), body=body,
                 data={"reached": reached})
    if reached:
        for callback in callbacks_of(session=session, ticket_id=ticket.id):
            if callback.done_at is None:
                callback.done_at = clock.now()
        if ticket.first_responded_at is None:
            ticket.first_responded_at = clock.now()
            ticket.first_response_due_at = None
            sla.refresh_watch(ticket)
    return action


_MOVES = {
    Status.OPEN: {Status.WAITING_CUSTOMER, Status.RESOLVED, Status.CLOSED},
    Status.WAITING_CUSTOMER: {Status.OPEN, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: set(),
}


def _move(session: Session, ticket: Ticket, to: Status, *, actor: str, reason: str | None = None) -> Action:
    current = Status(ticket.status)
    if to not in _MOVES[current]:
        raise BadTransition(f"A ticket that is {current.value} cannot become {to.value}",
                            errors=[FieldError(("body", "status"), f"not allowed from {current.value}")])
    if current == Status.WAITING_CUSTOMER:
        sla.resume(session, ticket)
    ticket.status = to.value
    if to == Status.WAITING_CUSTOMER:
        sla.pause(ticket)
    elif to == Status.OPEN:
        if current == Status.RESOLVED:
            ticket.resolved_at = None
            sla.recompute(session, ticket)
        sla.refresh_watch(ticket)
    elif to == Status.RESOLVED:
        ticket.resolved_at = clock.now()
        sla.refresh_watch(ticket)
        if ticket.csat_score is None:
            mailing.queue(session=session, ticket=ticket, kind=mailing.RESOLVED, body=None)
        record(session, TicketResolved(ticket.id, ticket.number))
    elif to == Status.CLOSED:
        ticket.closed_at = clock.now()
        ticket.resolved_at = ticket.resolved_at or clock.now()
        sla.refresh_watch(ticket)
    return log(session=session, ticket=ticket, kind=ActionKind.STATUS, actor=actor, body=reason,
               data={"from": current.value, "to": to.value})


def change_status(*, session: Session, ticket: Ticket, actor: Principal, status: str, reason: str | None = None
                  ) -> Action:
    """Move the ticket: waiting for the customer pauses the SLA clocks; resolving sends the CSAT survey."""
    _require(actor, ticket)
    return _move(session, ticket, Status(status), actor=staff_actor(actor), reason=reason)


def assign(*, session: Session, ticket: Ticket, actor: Principal, assignee_id: uuid.UUID | None,
           team_id: uuid.UUID | None = None) -> Action:
    """Give the ticket to an agent and/or a team queue (a new team's calendar moves the due dates)."""
    _require(actor, ticket)
    _writable(ticket)
    before = {"assignee_id": str(ticket.assignee_id) if ticket.assignee_id else None,
              "team_id": str(ticket.team_id) if ticket.team_id else None}
    if team_id is not None:
        _team(session, team_id)
    ticket.assignee_id = assignee_id
    if team_id is not None and team_id != ticket.team_id:
        ticket.team_id = team_id
        if ticket.paused_since is None:
            sla.recompute(session, ticket)
    return log(session=session, ticket=ticket, kind=ActionKind.ASSIGN, actor=staff_actor(actor),
               data={"from": before, "to": {"assignee_id": str(assignee_id) if assignee_id else None,
                                            "team_id": str(ticket.team_id) if ticket.team_id else None}})


def _escalate(session: Session, ticket: Ticket, *, actor: str, reason: str, team_id: uuid.UUID | None = None
              ) -> Action:
    _writable(ticket)
    if team_id is not None:
        _team(session, team_id)
    team = sla.team_of(session, ticket)
    before = {"level": ticket.level, "priority": ticket.priority,
              "team_id": str(ticket.team_id) if ticket.team_id else None}
    ticket.level += 1
    ticket.priority = rules.raise_priority(ticket.priority)
    ticket.team_id = team_id or (team.escalation_team_id if team and team.escalation_team_id else ticket.team_id)
    ticket.assignee_id = None
    if ticket.paused_since is None:
        sla.apply_targets(session, ticket, restart=True)
    record(session, TicketEscalated(ticket.id, ticket.level, ticket.priority, ticket.team_id, reason))
    return log(session=session, ticket=ticket, kind=ActionKind.ESCALATE, actor=actor, body=reason,
               data={"from": before, "to": {"level": ticket.level, "priority": ticket.priority,
                                            "team_id": str(ticket.team_id) if ticket.team_id else None}})


def escalate(*, session: Session, ticket: Ticket, actor: Principal, reason: str, team_id: uuid.UUID | None = None
             ) -> Action:
    """Move the ticket one level up: the next team, a higher priority, fresh SLA targets."""
    _require(actor, ticket)
    return _escalate(session, ticket, actor=staff_actor(actor), reason=reason, team_id=team_id)


def check_sla(*, session: Session, ticket_id: uuid.UUID) -> str | None:
    """The SLA watch for one ticket: "warned" before a breach, "escalated" on one, None when nothing was due."""
    ticket = session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    now = clock.now()
    if ticket is None or ticket.status != Status.OPEN or ticket.watch_at is None or ticket.watch_at > now:
        return None
    due = sla.next_due(ticket)
    if due is None:
        sla.refresh_watch(ticket)
        return None
    which = "first response" if due == ticket.first_response_due_at else "resolution"
    if now >= due:
        ticket.breached_at = ticket.breached_at or now
        _escalate(session, ticket, actor="system:sla", reason=f"SLA breached: {which} was due {due.isoformat()}")
        return "escalated"
    ticket.warned_for = due
    log(session=session, ticket=ticket, kind=ActionKind.SLA_WARNING, actor="system:sla",
        body=f"{which} due {due.isoformat()}", data={"due_at": due.isoformat(), "clock": which})
    sla.refresh_watch(ticket)
    return "warned"


def schedule_callback(*, session: Session, ticket: Ticket, actor: Principal | str, due_at: datetime,
                      note: str | None = None, staff_id: uuid.UUID | None = None) -> Callback:
    """Promise the customer a call at ``due_at``; a reminder is logged shortly before."""
    if isinstance(actor, Principal):
        _require(actor, ticket)
        staff_id = staff_id or actor.staff_id
    _writable(ticket)
    callback = Callback(ticket_id=ticket.id, due_at=due_at, note=note, staff_id=staff_id)
    session.add(callback)
    log(session=session, ticket=ticket, kind=ActionKind.CALLBACK_SCHEDULED,
        actor=staff_actor(actor) if isinstance(actor, Principal) else actor, body=note,
        data={"due_at": due_at.isoformat(), "staff_id": str(staff_id) if staff_id else None})
    return callback


REMIND_BEFORE = timedelta(minutes=15)


def remind_callbacks(*, session: Session, limit: int = 200) -> int:
    """Log a reminder on each callback due within 15 minutes that has not had one."""
    due = list(session.scalars(select(Callback).where(Callback.done_at.is_(None), Callback.reminded_at.is_(None),
                                                      Callback.due_at <= clock.now() + REMIND_BEFORE)
                               .order_by(Callback.due_at).limit(limit)))
    for callback in due:
        callback.reminded_at = clock.now()
        ticket = session.get(Ticket, callback.ticket_id)
        if ticket is not None and ticket.status != Status.CLOSED:
            log(session=session, ticket=ticket, kind=ActionKind.CALLBACK_REMINDER, actor="system:callbacks",
                body=callback.note, data={"callback_id": str(callback.id), "due_at": callback.due_at.isoformat(),
                                          "staff_id": str(callback.staff_id) if callback.staff_id else None})
    return len(due)


# --- CSAT -------------------------------------------------------------------------------------------------------

def record_csat(*, session: Session, ticket_id: uuid.UUID, token: str, score: int, comment: str | None,
                secret: str) -> Ticket:
    """The customer's rating (1-5) from the signed link in the resolution e-mail; once per ticket."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or not mailing.csat_token_ok(secret, ticket_id, token):
        raise CsatRefused()
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise BadTransition("The ticket is not resolved yet")
    if ticket.csat_score is not None:
        raise CsatAlreadyGiven()
    if not 1 <= score <= 5:
        raise InvalidInput(errors=[FieldError(("body", "score"), "between 1 and 5")])
    ticket.csat_score, ticket.csat_comment, ticket.csat_at = score, comment, clock.now()
    log(session=session, ticket=ticket, kind=ActionKind.CSAT, actor=f"customer:{ticket.email or 'link'}",
        body=comment, data={"score": score})
    return ticket
