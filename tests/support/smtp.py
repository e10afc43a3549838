"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), and reading what arrived."""
import email
import email.policy
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from . import free_port


@dataclass
class Received:
    sender: str
    recipients: list
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        # A long subject is folded onto a second header line; a mail client shows it unfolded.
        return str(self.message["Subject"]).strip()

    def part(self, subtype: str) -> str:
        """The text of the text/plain ("plain") or text/html ("html") part."""
        found = self.message.get_body(preferencelist=(subtype,))
        assert found is not None and found.get_content_subtype() == subtype, f"tidak ada bagian {subtype}"
        return found.get_content()

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


class _Handler:
    def __init__(self, box: "Mailbox"):
        self.box = box

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.box.lock:
            self.box.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


class Mailbox:
    """An SMTP server taking every message into `messages`; `stop()` and `start()` again on
    the same port to play a server that is down for a while."""

    def __init__(self):
        self.port = free_port()
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self._controller = None

    def start(self) -> "Mailbox":
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if address in m.recipients]

    def wait_for(self, count: int, seconds: float = 30) -> list[Received]:
        """At least `count` messages (for a worker in another process), else fail."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"{count} email ditunggu, {len(self.messages)} tiba")
