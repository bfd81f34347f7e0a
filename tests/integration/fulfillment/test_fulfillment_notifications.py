"""The notification log: a send that fails is written down and retried later, never dropped."""

from __future__ import annotations

import uuid
from datetime import timedelta

from omniretail.fulfillment import notify
from omniretail.fulfillment.models import Notification
from omniretail.kernel import clock
from omniretail.kernel.mail import MemoryMailer, OutgoingMail


class _SmtpDown:
    def send(self, mail: OutgoingMail) -> None:
        raise ConnectionRefusedError("smtp.shop.example.com refused the connection")


def test_a_failed_e_mail_is_logged_with_its_error_and_sent_by_the_retry(db):
    with db.transaction() as s:
        row = Notification(order_id=uuid.uuid4(), kind="delivered", to="anna@shop.example.com", locale="ru",
                           status=notify.PENDING, attempts=0, data={"number": "W-000042", "tracking": "BALT1LV"})
        s.add(row)
    with db.transaction() as s:
        first = notify.send(session=s, mailer=_SmtpDown(), notification_id=row.id, base_url="http://shop.example.com")
        not_yet = notify.due_retries(session=s)
    clock.freeze(clock.now() + timedelta(minutes=3))
    mailer = MemoryMailer()

    with db.transaction() as s:
        due = notify.due_retries(session=s)
        second = [notify.send(session=s, mailer=mailer, notification_id=n, base_url="http://shop.example.com")
                  for n in due]

    assert first == "failed" and not_yet == []
    assert due == [row.id] and second == ["sent"]
    with db.transaction(read_only=True) as s:
        logged = s.get(Notification, row.id)
        assert logged is not None and logged.attempts == 2 and logged.last_error is None
    assert mailer.sent[0].subject == "Ваш заказ W-000042 доставлен" and "BALT1LV" in mailer.sent[0].text
