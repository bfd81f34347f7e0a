"""Chat pages: ``/chat`` for shoppers (guests too) and ``/admin/chat`` for advisors.

Both pages are shells: the conversation runs over the chat WebSockets (``support.chat.api``) from
``/static/chat/*.js``. Texts the scripts show come from the template as ``data-`` attributes, so they are
translated like every other page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from omniretail.identity.dependencies import OptionalCustomer, OptionalStaff
from omniretail.identity.rules import Permission
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import PermissionDenied
from omniretail.support.chat import service as chat_service
from omniretail.support.chat.rules import ChatStatus
from omniretail.web.storefront import layout, views
from omniretail.web.templates import locale_for, render

router = APIRouter(include_in_schema=False)


@router.get("/chat")
def chat_page(request: Request, session: SessionDep, customer: OptionalCustomer) -> Response:
    """Ask an advisor: a live chat window, for guests and signed-in shoppers."""
    locale = locale_for(request, customer.locale if customer else None)
    channel = views.web_channel(session)
    links = views.category_links(session, locale)
    return layout.page(request, session, "chat/visitor.html", locale, {"customer": customer},
                       links=links, channel=channel, customer=customer)


@router.get("/admin/chat")
def advisor_console(request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    """The advisors' console: waiting chats, the chats they answer, replies, product cards, closing."""
    if staff is None:
        return RedirectResponse("/admin/login?next=/admin/chat", status_code=303)
    if not staff.can(Permission.SUPPORT_MANAGE):
        raise PermissionDenied("Your roles do not include answering chats")
    chats = chat_service.list_chats(session=session, statuses=[ChatStatus.WAITING, ChatStatus.ACTIVE])
    return render(request, "chat/console.html", {"staff": staff, "chats": chats})
