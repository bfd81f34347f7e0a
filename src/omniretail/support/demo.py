# ruff: noqa: RUF001
"""Support: part of the demo retailer. A Riga customer-care team (Europe/Riga, Monday to Friday 9-18, with the
18 November holiday) and its second line, SLA policies, canned replies in every language, and 15 tickets in
five languages in every state, some linked to demo customers and their orders."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from omniretail.customers import demo as customers_demo
from omniretail.identity.rules import Grant, Principal, Role
from omniretail.kernel import clock
from omniretail.kernel.ids import new_id
from omniretail.ordering import service as ordering_service
from omniretail.support import admin
from omniretail.support import service as support_service

HOLIDAYS = [date(2026, 11, 18), date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 31),
            date(2027, 1, 1)]
CANNED = {
    "thanks": {"en": ("Thanks", "Thank you for writing to us. We are looking into it and will come back to you."),
               "ru": ("Спасибо", "Спасибо, что написали нам. Мы разбираемся и скоро ответим."),
               "pl": ("Dziękujemy", "Dziękujemy za wiadomość. Sprawdzamy to i wkrótce odpowiemy."),
               "lv": ("Paldies", "Paldies, ka rakstījāt. Mēs to izskatām un drīz atbildēsim."),
               "zh": ("感谢", "感谢您的来信。我们正在处理，会尽快回复您。")},
    "courier": {"en": ("With the courier", "Your parcel is with the courier and should arrive within two days."),
                "ru": ("У курьера", "Ваша посылка у курьера и придёт в течение двух дней."),
                "pl": ("U kuriera", "Paczka jest u kuriera i dotrze w ciągu dwóch dni."),
                "lv": ("Pie kurjera", "Jūsu sūtījums ir pie kurjera un tiks piegādāts divu dienu laikā."),
                "zh": ("快递中", "您的包裹已交给快递员，预计两天内送达。")},
}
TICKETS = [
    ("email", "ru", "delivery", "normal", "Где мой заказ?", "Заказ не пришёл уже неделю.", "open"),
    ("email", "pl", "return", "normal", "Zwrot szminki", "Chcę zwrócić LIP-VELVET-07, kolor nie pasuje.", "waiting"),
    ("web", "lv", "payment", "high", "Dubults maksājums", "Nauda par pasūtījumu noņemta divreiz.", "open"),
    ("chat", "zh", "product", "low", "尺码问题", "这件外套有M码吗？", "resolved"),
    ("phone", "en", "delivery", "normal", "Parcel left at wrong door", "Neighbour received it.", "closed"),
    ("email", "en", "other", "low", "Invoice with VAT number", "Please add our VAT number LV40003000000.", "open"),
    ("social", "en", "product", "high", "Complaint on Instagram", "Broken zip after two days.", "escalated"),
    ("web", "ru", "return", "normal", "Возврат в магазине", "Можно вернуть в магазине в Риге?", "resolved"),
    ("email", "pl", "delivery", "urgent", "Brak paczki na wesele", "Sukienka na sobotę wciąż nie dotarła!", "open"),
    ("phone", "lv", "other", "normal", "Lojalitātes punkti", "Punkti netika pieskaitīti.", "waiting"),
    ("web", "zh", "payment", "normal", "分期付款失败", "我的分期付款没有成功。", "open"),
    ("email", "en", "return", "normal", "Refund not received", "Returned two weeks ago.", "callback"),
    ("chat", "ru", "product", "low", "Состав крема", "Есть ли в креме отдушки?", "closed"),
    ("web", "pl", "other", "low", "Karta podarunkowa", "Jak sprawdzić saldo karty?", "resolved"),
    ("email", "lv", "delivery", "high", "Bojāts sūtījums", "Kaste bija saplēsta, trūkst krēma.", "open"),
]

QUIET = {"open", "escalated", "callback"}  # demo tickets that get replies have no address, so no e-mail goes out


def load(session: Session) -> None:
    """Add this context's demo data."""
    second = admin.create_team(session=session, code="care-2", name="Customer care, second line",
                               timezone="Europe/Riga", holidays=HOLIDAYS)
    admin.create_team(session=session, code="care", name="Customer care Riga", timezone="Europe/Riga",
                      weekdays=[0, 1, 2, 3, 4], day_start="09:00", day_end="18:00", holidays=HOLIDAYS,
                      is_default=True, escalation_team_id=second.id)
    for name, priority, first, resolve in (("Urgent", "urgent", 30, 240), ("High", "high", 120, 960),
                                           ("Normal", "normal", 240, 1440), ("Low", "low", 480, 2880)):
        admin.create_policy(session=session, name=name, priority=priority, first_response_minutes=first,
                            resolution_minutes=resolve, warn_before_minutes=min(60, first // 2))
    admin.create_policy(session=session, name="Gold members", tier="gold", first_response_minutes=60,
                        resolution_minutes=480, warn_before_minutes=30)
    for code, texts in CANNED.items():
        for locale, (title, body) in texts.items():
            admin.save_canned(session=session, code=code, locale=locale, title=title, body=body)
    agent = Principal(staff_id=new_id(), email="support@demo.omniretail.example.com", grants=(Grant(Role.OWNER),))
    customers = customers_demo.demo_customer_ids(session=session, count=len(TICKETS))
    orders = ordering_service.orders_of_customers(session=session, customer_ids=customers[:5], limit=5)
    now = clock.now()
    for n, (channel, locale, category, priority, subject, body, state) in enumerate(TICKETS):
        order = orders.pop(0) if orders and state in QUIET else None
        ticket = support_service.open_ticket(
            session=session, channel=channel, subject=subject, body=body, category=category, priority=priority,
            actor=f"customer:demo{n}@shop.example.com" if channel in ("email", "web", "chat") else "staff:demo",
            email=f"demo{n}@shop.example.com" if state in QUIET else None, name=f"Demo shopper {n + 1}", locale=locale,
            customer_id=order.customer_id if order else None, order_id=order.id if order else None)
        if state in ("waiting", "resolved", "closed"):
            support_service.reply(session=session, ticket=ticket, actor=agent, body=CANNED["thanks"][locale][1],
                                  wait_for_customer=state == "waiting")
        if state in ("resolved", "closed"):
            support_service.change_status(session=session, ticket=ticket, actor=agent, status="resolved")
        if state == "closed":
            support_service.change_status(session=session, ticket=ticket, actor=agent, status="closed")
        if state == "escalated":
            support_service.escalate(session=session, ticket=ticket, actor=agent, reason="public complaint")
        if state == "callback":
            support_service.schedule_callback(session=session, ticket=ticket, actor=agent,
                                              due_at=now + timedelta(hours=3), note="Call about the refund")
