"""What every channel shares: the message, the error, the base class."""

from dataclasses import dataclass, field


@dataclass
class Message:
    """A rendered reminder. ``markdown`` is only used by group robots."""

    title: str
    text: str
    link: str = ""  # site-relative path ("/tasks/12/") or ""
    html: str = ""
    markdown: str = ""
    headers: dict = field(default_factory=dict)


class DeliveryError(Exception):
    """A failed delivery.

    ``permanent``: retrying cannot help (bad address, bad key, rejected payload).
    ``disable``: the destination itself is broken (a robot's key was revoked, its
    signature is refused): the webhook is switched off and county staff are told.
    """

    def __init__(self, message: str, *, permanent: bool = False, disable: bool = False):
        super().__init__(message)
        self.permanent = permanent or disable
        self.disable = disable


class AddressRefused(DeliveryError):
    """The mail server refused the recipient's address: permanent for that address."""

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


class Channel:
    code = ""
    #: "user" — one message per recipient; "group" — one message per robot and batch.
    audience = "user"
    #: An external channel cannot be undone or de-duplicated by us: a sender that dies
    #: during the call leaves an unknown outcome, which is not re-sent (see deliver.py).
    external = True

    def label(self) -> str:  # pragma: no cover - overridden
        return self.code


class UserChannel(Channel):
    audience = "user"

    def send(self, row, message: Message) -> str:
        """Deliver to ``row.recipient``; return a short provider response; raise DeliveryError."""
        raise NotImplementedError

    def disable(self, reason: str) -> None:
        """A DeliveryError with ``disable``: the channel itself is broken (a refused secret)."""


class GroupChannel(Channel):
    audience = "group"

    def send_group(self, webhook, message: Message) -> str:
        """Post one message to the robot; return a short provider response; raise DeliveryError."""
        raise NotImplementedError
