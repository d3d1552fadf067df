"""Local fakes of the work apps' servers (企业微信 and 钉钉): the documented endpoints the app
uses, their errcodes and token expiry, on loopback. Tests start them in a thread; ``make run``
starts them beside the demo (``python -m workapp.fake``) when no real corp id is configured, and
their "phone" page (``/_phone/``) shows the messages they received. Never used in production."""

from .server import DingTalkFake, FakeProvider, WeComFake

__all__ = ["DingTalkFake", "FakeProvider", "WeComFake"]
