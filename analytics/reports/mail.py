"""E-mail: a digest as a MIME message (plain text, HTML and its inline images), written to a file or sent over
SMTP with the AFFILIATE_SMTP_* settings.

The message is multipart/alternative: text/plain first, then multipart/related holding text/html and each
image as an inline part with its Content-ID. Sending upgrades the connection with STARTTLS unless
`smtp_starttls` is off, and signs in only when a user is set. The password is given to smtplib and nowhere
else: it is never printed, logged or put in an error message.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from analytics.core.errors import AnalyticsError, first_line
from analytics.core.settings import Settings
from analytics.figures.digest import CID_DOMAIN, Digest


class MailError(AnalyticsError):
    """An e-mail could not be sent (not configured, refused by the server, no connection)."""


def message(digest: Digest, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """The digest as one message from `sender` to `recipients`."""
    mail = EmailMessage()
    mail["Subject"] = digest.subject
    mail["From"] = sender or f"insights@{CID_DOMAIN}.invalid"
    mail["To"] = ", ".join(recipients)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=CID_DOMAIN)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(digest.text)
    mail.add_alternative(digest.html, subtype="html")
    html_part = mail.get_payload()[1]
    for image in digest.images:
        html_part.add_related(
            image.png,
            maintype="image",
            subtype="png",
            cid=f"<{image.cid}>",
            filename=f"{image.key}.png",
            disposition="inline",
        )
    return mail


def is_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send(mail: EmailMessage, settings: Settings, timeout: float = 30) -> None:
    """Send `mail` to its To addresses over SMTP (MailError when that fails; nothing is retried)."""
    if not settings.smtp_host:
        raise MailError("e-mail is not configured: set AFFILIATE_SMTP_HOST (README, Configuration)")
    if not settings.sender:
        raise MailError("e-mail needs a sender: set AFFILIATE_SMTP_FROM (or AFFILIATE_SMTP_USER)")
    if mail["From"] != settings.sender:
        del mail["From"]
        mail["From"] = settings.sender
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                if not smtp.has_extn("starttls"):
                    raise MailError(
                        f"{where} does not offer STARTTLS; AFFILIATE_SMTP_STARTTLS=false is only for a local relay"
                    )
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            refused = smtp.send_message(mail)
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(f"{where} refused the sign-in of {settings.smtp_user} ({error.smtp_code})") from None
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"not sent through {where}: {type(error).__name__}: {first_line(error)}") from None
    if refused:
        raise MailError(f"{where} refused some recipients: {', '.join(sorted(refused))}")
