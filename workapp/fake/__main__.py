"""``python -m workapp.fake``: both fakes on loopback, for ``make run``'s demo (see scripts/run.sh).
Users of the fake organisations are the demo's bound user ids (``--users a,b,c``)."""

import argparse
import sys

from notifications.loopback import serve_until_stopped

from .server import DingTalkFake, WeComFake


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wecom-port", type=int, default=18801)
    parser.add_argument("--dingtalk-port", type=int, default=18802)
    parser.add_argument("--users", default="")
    parser.add_argument("--corp-id", default="fake-corp")
    parser.add_argument("--secret", default="fake-secret")
    parser.add_argument("--site-url", default="", help="the app's address: the phone page links to its sign-in")
    args = parser.parse_args(argv)
    users = [u for u in args.users.split(",") if u]
    fakes = [
        WeComFake(corp_id=args.corp_id, secret=args.secret, users=users, port=args.wecom_port).serve(),
        DingTalkFake(corp_id=args.corp_id, secret=args.secret, users=users, port=args.dingtalk_port).serve(),
    ]
    for fake, code in zip(fakes, ("wecom", "dingtalk")):
        fake.site_start = f"{args.site_url.rstrip('/')}/workapp/{code}/start/" if args.site_url else ""
    for fake in fakes:
        print(f"{fake.name} fake on {fake.base} — phone page {fake.base}/_phone/", flush=True)
    serve_until_stopped(fakes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
