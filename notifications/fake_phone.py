"""The "phone" page of the local fakes (the SMS gateway, 企业微信, 钉钉): whose phone it is, and
the messages that person received, newest first, links clickable. The fakes run without Django
settings (``python -m …`` beside ``make run``), so the one template is rendered by a standalone
template engine. Never used in production."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template import Context, Engine

ENGINE = Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=True)
LINK = re.compile(r"https?://[^\s，。]+")


@dataclass
class Message:
    to: str
    text: str
    title: str = ""
    url: str = ""  # the card's button (work apps); an SMS has its links in the text
    button: str = ""
    parts: list = field(init=False)

    def __post_init__(self):
        """The text as (piece, link or "") pairs: the links in it drawn as links."""
        self.parts, at = [], 0
        for m in LINK.finditer(self.text):
            self.parts += [(self.text[at:m.start()], ""), (m.group(0), m.group(0))]
            at = m.end()
        self.parts.append((self.text[at:], ""))


def page(*, title: str, people: list[tuple[str, str]], chosen: str, messages: list[Message], pick_label: str,
         pick_name: str, pick_button: str, everyone: bool = False, open_app: str = "", empty: str = "还没有消息。") -> str:
    """The page: ``people`` as (value, label) for the picker, ``everyone`` adds 全部."""
    return ENGINE.get_template("notifications/fake_phone.html").render(Context({
        "title": title, "people": people, "chosen": chosen, "messages": messages, "pick_label": pick_label,
        "pick_name": pick_name, "pick_button": pick_button, "everyone": everyone, "open_app": open_app, "empty": empty,
    }))
