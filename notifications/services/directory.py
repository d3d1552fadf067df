"""Who receives what: loaded once per sweep, so deciding recipients costs no query per task.

A county has a few hundred orgs and a few thousand memberships; the whole
directory is a handful of small queries whatever the number of tasks.
"""

from collections import defaultdict
from datetime import date

from accounts.models import COUNTY_OR_ABOVE, Membership, OrgUnit, User
from accounts.roles import ROLE_ACTIONS, Action, Role
from responsibilities.choices import BEARER_ROLES

from ..models import Kind, Preference, Webhook
from . import workapp

FALLBACK_ROLES = (Role.CLERK, Role.PARTY_SECRETARY)
REVIEW_ROLES = tuple(role for role, actions in ROLE_ACTIONS.items() if Action.REVIEW in actions)


class Directory:
    """The whole county (the sweep), or with ``org_ids`` only those orgs' people (one event's
    recipients: a few rows, the same rules)."""

    def __init__(self, on: date, org_ids=None):
        self.on = on
        self.members: dict[tuple[int, str], list[int]] = defaultdict(list)
        memberships = Membership.objects.current(on)
        orgs = OrgUnit.objects.all()
        users = User.objects.filter(is_active=True)
        prefs = Preference.objects.all()
        webhooks = Webhook.objects.filter(status=Webhook.Status.ACTIVE)
        if org_ids is not None:
            org_ids = list(org_ids)
            memberships = memberships.filter(org_id__in=org_ids)
            orgs = orgs.filter(pk__in=org_ids)
            member_ids = memberships.values("user_id")
            users = users.filter(pk__in=member_ids)
            prefs = prefs.filter(user_id__in=member_ids)
            webhooks = webhooks.filter(org_id__in=org_ids)
        rows = (
            memberships
            .filter(user__is_active=True, org__is_active=True)
            .values_list("org_id", "role", "user_id")
            .order_by("org_id", "role", "user_id")
        )
        for org_id, role, user_id in rows:
            bucket = self.members[(org_id, role)]
            if not bucket or bucket[-1] != user_id:
                bucket.append(user_id)
        self.orgs: dict[int, tuple[str, int, str, bool]] = {}
        by_path: dict[str, int] = {}
        for pk, path, depth, kind, active in orgs.values_list("id", "path", "depth", "kind", "is_active"):
            self.orgs[pk] = (path, depth, kind, active)
            by_path[path] = pk
        step = OrgUnit.steplen
        self.parent: dict[int, int | None] = {
            pk: (by_path.get(path[:-step]) if depth > 1 else None) for pk, (path, depth, _k, _a) in self.orgs.items()
        }
        self.active_users = set(users.values_list("id", flat=True))
        self.email_of = dict(users.exclude(email="").values_list("id", "email"))
        self.prefs: dict[int, tuple[bool, frozenset, str]] = {}
        self.sms_users: set[int] = set()
        for uid, enabled, muted, bounced, sms in prefs.values_list(
            "user_id", "email_enabled", "muted_kinds", "bounced_email", "sms_enabled"
        ):
            self.prefs[uid] = (enabled, frozenset(muted or ()), bounced)
            if sms:
                self.sms_users.add(uid)
        if self.sms_users and self._sms_on():
            # the number itself is encrypted: whether it is valid is checked when sending
            self.sms_users &= set(users.filter(pk__in=self.sms_users).exclude(mobile_digest="").values_list("id", flat=True))
        else:
            self.sms_users = set()
        # work apps: the channels that can send, who is bound there, who switched them off
        self.workapp_channels = workapp.active_channels()
        self.workapp_bound = workapp.bound_user_ids(
            self.workapp_channels, None if org_ids is None else memberships.values("user_id"))
        self.workapp_off: dict[str, set[int]] = {
            c: set(prefs.filter(**{f"{c}_enabled": False}).values_list("user_id", flat=True))
            for c in self.workapp_channels
        }
        self.webhooks: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for wid, org_id, kind in webhooks.values_list("id", "org_id", "kind").order_by("id"):
            self.webhooks[org_id].append((wid, kind))

    # --- who --------------------------------------------------------------
    def org_active(self, org_id: int) -> bool:
        info = self.orgs.get(org_id)
        return bool(info and info[3])

    def is_member(self, org_id: int, user_id: int) -> bool:
        """Does the active user hold any current role at ``org_id``?"""
        return user_id in self.active_users and any(
            user_id in users for (org, _role), users in self.members.items() if org == org_id)

    def holders(self, org_id, *roles) -> list[int]:
        seen, out = set(), []
        for role in roles:
            for uid in self.members.get((org_id, str(role)), ()):
                if uid not in seen:
                    seen.add(uid)
                    out.append(uid)
        return out

    def task_recipients(self, org_id: int, bearer: str, assignee_id: int | None) -> list[int]:
        """The assignee if set; else the org's holders of the bearing roles; else its clerk / party secretary."""
        if assignee_id and assignee_id in self.active_users:
            return [assignee_id]
        roles = BEARER_ROLES.get(bearer, ()) if bearer else ()
        users = self.holders(org_id, *roles)
        return users or self.holders(org_id, *FALLBACK_ROLES)

    def reviewers(self, org_id: int) -> list[int]:
        """The people who review the tasks of ``org_id``'s review queue (review reaches only the
        org where it is held)."""
        return self.holders(org_id, *REVIEW_ROLES)

    def escalation_recipients(self, org_id: int, level: int) -> list[int]:
        """Level 1: the discipline secretary of the org above (its party secretary if none).
        Level 2: the party secretary of the org above — only if level 1 went to someone else."""
        parent = self.parent.get(org_id)
        if parent is None:
            return []
        disc = self.holders(parent, Role.DISCIPLINE_SECRETARY)
        if level == 1:
            return disc or self.holders(parent, Role.PARTY_SECRETARY)
        return self.holders(parent, Role.PARTY_SECRETARY) if disc else []

    def digest_recipients(self) -> list[int]:
        """County staff (at a county or above) and every town's discipline secretary."""
        out, seen = [], set()
        for pk, (_path, _depth, kind, active) in sorted(self.orgs.items()):
            if not active:
                continue
            roles = []
            if kind in COUNTY_OR_ABOVE:
                roles.append(Role.COMMISSION_STAFF)
            if kind == OrgUnit.Kind.TOWN:
                roles.append(Role.DISCIPLINE_SECRETARY)
            for uid in self.holders(pk, *roles):
                if uid not in seen:
                    seen.add(uid)
                    out.append(uid)
        return out

    def secretaries(self) -> list[int]:
        """Every active org's party and discipline secretaries (节前廉政提醒)."""
        out, seen = [], set()
        for pk, (_p, _d, _k, active) in sorted(self.orgs.items()):
            if active:
                for uid in self.holders(pk, Role.PARTY_SECRETARY, Role.DISCIPLINE_SECRETARY):
                    if uid not in seen:
                        seen.add(uid)
                        out.append(uid)
        return out

    def county_staff(self) -> list[int]:
        return [uid for pk, info in sorted(self.orgs.items()) if info[1] == 1
                for uid in self.holders(pk, Role.COMMISSION_STAFF)]

    # --- how ---------------------------------------------------------------
    def channels_for(self, user_id: int, kind: str) -> list[str]:
        """In-app always (the fallback); e-mail if chosen and the address has not bounced; SMS if
        chosen, the person has a mobile number and the gateway is configured and not refused; each
        work app the person is bound on, unless switched off. A muted kind sends nothing — except
        escalations and system notices, which cannot be muted."""
        enabled, muted, bounced = self.prefs.get(user_id, (True, frozenset(), ""))
        if kind in muted and kind not in (Kind.ESCALATION, Kind.SYSTEM):
            return []
        channels = ["inapp"]
        email = self.email_of.get(user_id, "")
        if enabled and email and email.strip().lower() != (bounced or "").strip().lower():
            channels.append("email")
        if user_id in self.sms_users:
            channels.append("sms")
        for channel in self.workapp_channels:
            if user_id in self.workapp_bound[channel] and user_id not in self.workapp_off[channel]:
                channels.append(channel)
        return channels

    @staticmethod
    def _sms_on() -> bool:
        from .. import channels
        from .switches import channel_disabled

        return channels.get("sms").available() and not channel_disabled("sms")

    def group_webhooks(self, org_id: int) -> list[tuple[int, str]]:
        return self.webhooks.get(org_id, [])
