"""What every channel shares: the message, the error, the base class."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Message:
    """A rendered reminder. ``markdown`` is only used by group robots.

    A person's grouped reminder (several tasks in one message) also carries ``items`` — one dict
    per task listed, most urgent first: ``task``, ``kind``, ``title``, ``when``, ``link``,
    ``colour`` — and ``more``, how many further tasks ``link`` (我的任务) leads to. ``text`` lists
    the same items in plain words, so a channel that knows nothing of grouping still says it all."""

    title: str
    text: str
    link: str = ""  # site-relative path ("/tasks/12/") or ""
    html: str = ""
    markdown: str = ""
    headers: dict = field(default_factory=dict)
    items: list = field(default_factory=list)
    more: int = 0
    count: int = 1  # how many tasks the message is about (items + more; 1 for a single notice)


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
    #: Most messages one person receives on this channel per day (None: no cap).
    daily_cap: int | None = None

    def available(self) -> bool:
        """Configured on this installation (e.g. an SMS gateway is set)."""
        return True

    def fingerprint(self) -> str:
        """Identifies the configured credentials: a channel disabled for refused credentials is on
        again once they change (models.ChannelStatus)."""
        return ""

    def remedy(self) -> str:
        """What the operator does to switch the channel on again (said in the notice to county staff)."""
        return _("Configure valid credentials (see the README's configuration table) and restart: "
                 "the channel is used again at once.")

    def unusable_for(self, user, pref) -> str:
        """Why this channel cannot reach ``user`` now ("" = it can); ``pref`` may be None."""
        return ""

    def send(self, row, message: Message) -> str:
        """Deliver to ``row.recipient``; return a short provider response; raise DeliveryError."""
        raise NotImplementedError

    def disable(self, reason: str) -> None:
        """A DeliveryError with ``disable``: the channel itself is broken (a refused secret). By
        default it is switched off for its current credentials (models.ChannelStatus), its pending
        rows skipped and county staff told; a channel with its own switch overrides this."""
        from ..services.switches import disable_channel

        disable_channel(self.code, reason)


class GroupChannel(Channel):
    audience = "group"

    def send_group(self, webhook, message: Message) -> str:
        """Post one message to the robot; return a short provider response; raise DeliveryError."""
        raise NotImplementedError
