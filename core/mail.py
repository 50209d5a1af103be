"""The development email backend: mails printed readably on the console.

Django's console backend prints the raw MIME message: quoted-printable bodies (links broken
across lines with "=") and every attachment as base64 — a PDF is thousands of lines that
bury the confirmation links. This one prints the headers and the text body as they read,
and each HTML alternative and attachment as one line: name, type and size.
"""

from email.mime.base import MIMEBase

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


def _size(content) -> int:
    if isinstance(content, str):
        return len(content.encode("utf-8"))
    return len(content or b"")


def describe_attachment(attachment) -> str:
    """ "name, type, N bytes" of an attachment (a (name, content, type) tuple or a MIME part)."""
    if isinstance(attachment, MIMEBase):
        name = attachment.get_filename() or "(no name)"
        payload = attachment.get_payload(decode=True)
        return f"{name}, {attachment.get_content_type()}, {_size(payload):,} bytes"
    name, content, mimetype = attachment
    return f"{name or '(no name)'}, {mimetype or 'application/octet-stream'}, {_size(content):,} bytes"


def readable(message) -> str:
    """The text of `message` (a Django EmailMessage) as the console shows it."""
    lines = [f"Subject: {message.subject}", f"From: {message.from_email}", f"To: {', '.join(message.to)}"]
    for header, values in (("Cc", message.cc), ("Bcc", message.bcc), ("Reply-To", message.reply_to)):
        if values:
            lines.append(f"{header}: {', '.join(values)}")
    lines += ["", message.body.rstrip("\n"), ""]
    for content, mimetype in getattr(message, "alternatives", []):
        lines.append(f"[alternative: {mimetype}, {_size(content):,} bytes]")
    for attachment in message.attachments:
        lines.append(f"[attachment: {describe_attachment(attachment)}]")
    return "\n".join(lines).rstrip("\n") + "\n"


class ConsoleEmailBackend(DjangoConsoleBackend):
    """Django's console backend, printing `readable(message)` instead of the MIME source."""

    def write_message(self, message):
        self.stream.write(readable(message))
        self.stream.write("-" * 79)
        self.stream.write("\n")
