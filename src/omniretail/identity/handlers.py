"""Identity's reactions to its own events: the password-reset e-mail, in the shopper's language."""

from __future__ import annotations

from omniretail.identity import service as identity_service
from omniretail.identity.events import PasswordResetRequested
from omniretail.kernel import i18n
from omniretail.kernel.events import Event
from omniretail.kernel.mail import OutgoingMail
from omniretail.kernel.outbox import Handler, HandlerContext


def send_password_reset(ctx: HandlerContext, event: PasswordResetRequested) -> None:
    """Mint the one-time secret and e-mail the link; a retry mints a fresh one."""
    issued = identity_service.issue_reset_token(session=ctx.session, reset_id=event.reset_id)
    if issued is None:
        return
    account, raw = issued
    link = f"{ctx.adapters.settings.base_url}/account/reset?token={raw}"
    token = i18n.current_locale.set(account.locale)
    try:
        subject = i18n.gettext("Reset your password")
        text = i18n.gettext("Hello %(name)s,\n\nUse this link within two hours to choose a new password:\n"
                            "%(link)s\n\nIf you did not ask for this, ignore this e-mail.") % {
            "name": account.name, "link": link}
    finally:
        i18n.current_locale.reset(token)
    ctx.adapters.mailer.send(OutgoingMail(to=account.email, subject=subject, text=text))


HANDLERS: dict[type[Event], list[Handler]] = {
    PasswordResetRequested: [send_password_reset],
}
