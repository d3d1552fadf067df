"""Bulk onboarding from .xlsx: the org tree, and accounts with their memberships.

All or nothing: the whole file is checked first (file → header → every row) and
every problem is reported with its Excel row number in Chinese; only a file with no
problem at all is written, in one transaction. The column headers are the
django-import-export resources' (accounts.resources), so the downloadable template,
the export and the import agree.

Org rows may name as parent an existing org or another row of the same file, in any
order. Orgs are written with computed treebeard paths (accounts.bulk), not one
``add_child`` per row. Accounts are created with ``must_change_password`` set; rows
sharing an initial password share one hash (PBKDF2 per row would take minutes for a
few thousand accounts; the password must be changed at first sign-in anyway).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .bulk import BATCH, grants_for
from .models import COUNTY_OR_ABOVE, Membership, OrgUnit, OrgUnitUserObjectPermission, User
from .resources import ACCOUNT_HEADERS, ORG_HEADERS, WORKAPP_HEADERS
from .roles import Role
from .xlsx import cell_date, cell_text, read_rows


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


def _load(data, headers: list[str], optional=()):
    """Check the file and its header; return [(row number, {header: text})]. ``optional``
    headers may be left out (their cells then read as empty)."""
    found = read_rows(data, max_rows=settings.IMPORT_MAX_ROWS) or [(0, ())]
    (header_number, header), found = found[0], found[1:]
    rows, previous = [], header_number
    for number, row in found:   # a blank row between data rows is reported, trailing ones are not
        rows.extend((n, ()) for n in range(previous + 1, number))
        rows.append((number, row))
        previous = number
    names = [cell_text(h) for h in header]
    problems = []
    missing = [h for h in headers if h not in names and h not in optional]
    extra = [h for h in names if h and h not in headers]
    if missing:
        problems.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    if extra:
        problems.append(_("Unknown columns: %(cols)s.") % {"cols": "、".join(extra)})
    dupes = sorted({h for h in names if h and names.count(h) > 1})
    if dupes:
        problems.append(_("Repeated columns: %(cols)s.") % {"cols": "、".join(dupes)})
    if problems:
        problems.append(_("Use the downloadable template; its first row holds the column names."))
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([_("The file has no data rows below the header.")])
    index = {h: names.index(h) for h in headers if h in names}
    out = []
    for number, row in rows:
        row = list(row) + [None] * (len(names) - len(row))
        out.append((number, {h: (row[index[h]] if h in index else None) for h in headers}))
    return out


def _row(number, message) -> str:
    return _("Row %(row)s: %(message)s") % {"row": number, "message": message}


def _empty(number, values) -> bool:
    return all(cell_text(v) == "" for v in values.values())


# --- org tree ------------------------------------------------------------------

KIND_WORDS = {
    "县": ("county", ""), "county": ("county", ""),
    "乡镇": ("town", ""), "镇": ("town", "镇"), "乡": ("town", "乡"), "街道": ("town", "街道"), "区": ("town", "区"),
    "town": ("town", ""),
    "村（社区）": ("village", ""), "村(社区)": ("village", ""), "村": ("village", "村"), "社区": ("village", "社区"),
    "village": ("village", ""),
    "县直单位": ("department", ""), "部门": ("department", ""), "department": ("department", ""),
    "市（省）": ("province", ""), "市(省)": ("province", ""), "市": ("province", "市"), "省": ("province", "省"),
    "province": ("province", ""),
}
# a 市 / province root holds counties and its own departments
PARENT_KINDS = {"county": {"province"}, "town": {"county"}, "department": {"county", "department", "province"},
                "village": {"town"}}
YES = {"", "是", "启用", "1", "true", "yes", "y"}
NO = {"否", "停用", "0", "false", "no", "n"}


def import_orgs(data, *, user=None) -> ImportResult:
    result = ImportResult("orgs")
    rows = _load(data, ORG_HEADERS)
    h_code, h_name, h_kind, h_sub, h_parent, h_active = ORG_HEADERS
    existing = {o.code.lower(): o for o in OrgUnit.objects.all().only("pk", "code", "path", "depth", "kind", "numchild", "name")}
    parsed, seen, errors = {}, {}, []
    for number, v in rows:
        if _empty(number, v):
            errors.append(_row(number, _("the row is empty; delete it.")))
            continue
        code, name, kind_word = cell_text(v[h_code]), cell_text(v[h_name]), cell_text(v[h_kind])
        parent, active = cell_text(v[h_parent]), cell_text(v[h_active]).lower()
        msgs = []
        if not code:
            msgs.append(_("the code is missing."))
        elif len(code) > 32 or not all(c.isalnum() or c in "-_" for c in code):
            msgs.append(_("the code %(code)s may use only letters, digits, - and _ (at most 32).") % {"code": code})
        elif code.lower() in seen:
            msgs.append(_("the code %(code)s is already used on row %(other)s.") % {"code": code, "other": seen[code.lower()]})
        if not name:
            msgs.append(_("the name is missing."))
        elif len(name) > 100:
            msgs.append(_("the name is longer than 100 characters."))
        if kind_word not in KIND_WORDS:
            msgs.append(_("the kind %(kind)s is not one of 县, 乡镇 (镇/乡/街道), 村 (社区), 县直单位.") % {"kind": kind_word or "—"})
        if active not in YES | NO:
            msgs.append(_("the active column must be 是 or 否."))
        if code:
            seen.setdefault(code.lower(), number)
        if msgs:
            errors.extend(_row(number, m) for m in msgs)
            continue
        kind, implied = KIND_WORDS[kind_word]
        parsed[code.lower()] = {
            "row": number, "code": code, "name": name, "kind": kind, "subkind": cell_text(v[h_sub]) or implied,
            "parent": parent, "active": active not in NO,
        }

    def kind_of(code_l):
        return parsed[code_l]["kind"] if code_l in parsed else existing[code_l].kind

    for key, r in parsed.items():
        p = r["parent"].lower()
        old = existing.get(key)
        if not p:
            if r["kind"] not in COUNTY_OR_ABOVE:
                errors.append(_row(r["row"], _("only a county may have no parent; fill in the parent code.")))
            elif old is None and OrgUnit.objects.filter(depth=1).exists():
                errors.append(_row(r["row"], _("the county already exists; the tree has one root.")))
            continue
        if p not in parsed and p not in existing:
            if p in seen:
                continue  # the parent's own row is wrong and reported
            errors.append(_row(r["row"], _("the parent code %(code)s is neither in the system nor in this file.") % {"code": r["parent"]}))
            continue
        if p == key:
            errors.append(_row(r["row"], _("an org cannot be its own parent.")))
            continue
        if kind_of(p) not in PARENT_KINDS.get(r["kind"], set()):
            errors.append(_row(r["row"], _("a %(kind)s cannot sit under %(parent)s.") % {
                "kind": OrgUnit.Kind(r["kind"]).label, "parent": r["parent"]}))
            continue
        if old is not None:
            parent_now = old.path[: -OrgUnit.steplen]
            wanted = existing[p].path if p in existing else None
            if wanted != parent_now or old.kind != r["kind"]:
                errors.append(_row(r["row"], _("%(code)s already exists with another parent or kind; move it in the administration instead.") % {"code": r["code"]}))
    # cycles among new rows (A under B, B under A): every new row must reach an existing org or a root
    for key, r in parsed.items():
        hops, p = 0, key
        while p in parsed and p not in existing and parsed[p]["parent"] and hops <= len(parsed):
            p, hops = parsed[p]["parent"].lower(), hops + 1
        if hops > len(parsed):
            errors.append(_row(r["row"], _("the parent codes go round in a circle.")))
    result.rows = len(rows)
    if errors:
        raise ImportRefused(sorted(set(errors), key=_row_number))
    with transaction.atomic():
        result.updated = _update_orgs([r for k, r in parsed.items() if k in existing], existing)
        result.created = _create_orgs([r for k, r in parsed.items() if k not in existing], existing)
        audit.record("accounts.orgs_imported", user=user, rows=result.rows, created=result.created, updated=result.updated)
    return result


def _row_number(message: str) -> int:
    digits = "".join(c if c.isdigit() else " " for c in message).split()
    return int(digits[0]) if digits else 0


def _update_orgs(rows, existing) -> int:
    changed = []
    for r in rows:
        org = OrgUnit.objects.get(pk=existing[r["code"].lower()].pk)
        new = (r["name"], r["subkind"], r["active"])
        if (org.name, org.subkind, org.is_active) != new:
            org.name, org.subkind, org.is_active = new
            changed.append(org)
    OrgUnit.objects.bulk_update(changed, ["name", "subkind", "is_active"], batch_size=BATCH)
    return len(changed)


def _create_orgs(rows, existing) -> int:
    """Insert new orgs parent-first, with treebeard paths computed here."""
    by_code = {r["code"].lower(): r for r in rows}
    placed: dict[str, tuple[str, int]] = {}  # code → (path, depth) of orgs created now
    next_pos: dict[str, int] = {}  # parent path → next child position
    parent_growth: dict[int, int] = {}
    new = []

    def position_under(parent_path: str, parent_depth: int) -> int:
        if parent_path not in next_pos:
            last = OrgUnit.objects.filter(path__startswith=parent_path, depth=parent_depth + 1).aggregate(m=Max("path"))["m"]
            next_pos[parent_path] = OrgUnit._str2int(last[-OrgUnit.steplen:]) + 1 if last else 1
        pos = next_pos[parent_path]
        next_pos[parent_path] += 1
        return pos

    def place(key: str) -> tuple[str, int]:
        if key in placed:
            return placed[key]
        if key in existing:
            return existing[key].path, existing[key].depth
        r = by_code[key]
        if r["parent"]:
            ppath, pdepth = place(r["parent"].lower())
            if r["parent"].lower() in existing:
                pk = existing[r["parent"].lower()].pk
                parent_growth[pk] = parent_growth.get(pk, 0) + 1
            path, depth = OrgUnit._get_path(ppath, pdepth + 1, position_under(ppath, pdepth)), pdepth + 1
        else:
            last = OrgUnit.objects.filter(depth=1).aggregate(m=Max("path"))["m"]
            path, depth = OrgUnit._get_path(None, 1, OrgUnit._str2int(last) + 1 if last else 1), 1
        placed[key] = (path, depth)
        new.append(OrgUnit(path=path, depth=depth, numchild=0, code=r["code"], name=r["name"], kind=r["kind"],
                           subkind=r["subkind"], is_active=r["active"]))
        return placed[key]

    for key in by_code:
        place(key)
    children = {}
    for org in new:
        parent_path = org.path[: -OrgUnit.steplen]
        children[parent_path] = children.get(parent_path, 0) + 1
    for org in new:
        org.numchild = children.get(org.path, 0)
    OrgUnit.objects.bulk_create(new, batch_size=BATCH)
    for pk, n in parent_growth.items():
        OrgUnit.objects.filter(pk=pk).update(numchild=F("numchild") + n)
    return len(new)


# --- accounts with memberships ------------------------------------------------------

ROLE_WORDS = {str(r.label): r.value for r in Role} | {r.value: r.value for r in Role} | {
    "纪委监委干部": Role.COMMISSION_STAFF, "纪检监察干部": Role.COMMISSION_STAFF,
    "党组织书记": Role.PARTY_SECRETARY, "党委书记": Role.PARTY_SECRETARY, "党组书记": Role.PARTY_SECRETARY,
    "党支部书记": Role.PARTY_SECRETARY, "书记": Role.PARTY_SECRETARY,
    "纪委书记": Role.DISCIPLINE_SECRETARY, "纪检委员": Role.DISCIPLINE_SECRETARY, "纪检组长": Role.DISCIPLINE_SECRETARY,
    "纪委书记（纪检委员）": Role.DISCIPLINE_SECRETARY,
    "班子成员": Role.MEMBER, "联络员": Role.CLERK,
}


def import_accounts(data, *, user=None) -> ImportResult:
    result = ImportResult("accounts")
    from workapp.models import Binding

    rows = _load(data, ACCOUNT_HEADERS, optional=WORKAPP_HEADERS)
    h_user, h_name, h_mobile, h_pw, h_org, h_role, h_title, h_start = ACCOUNT_HEADERS[:8]
    bound = {(p, u.lower()) for p, u in Binding.objects.values_list("provider", "userid")}
    seen_userids: dict[tuple[str, str], int] = {}
    orgs = dict((c.lower(), pk) for c, pk in OrgUnit.objects.filter(is_active=True).values_list("code", "pk"))
    taken = {u.lower() for u in User.objects.values_list("username", flat=True)}
    errors, seen, parsed = [], {}, []
    for number, v in rows:
        if _empty(number, v):
            errors.append(_row(number, _("the row is empty; delete it.")))
            continue
        username, full_name, mobile = cell_text(v[h_user]), cell_text(v[h_name]), cell_text(v[h_mobile])
        password, org_code, role_word = cell_text(v[h_pw]), cell_text(v[h_org]), cell_text(v[h_role])
        msgs = []
        if not username:
            msgs.append(_("the user name is missing."))
        elif len(username) > 150 or not all(c.isalnum() or c in "@.+-_" for c in username):
            msgs.append(_("the user name %(u)s may use only letters, digits and @ . + - _.") % {"u": username})
        elif username.lower() in taken:
            msgs.append(_("the user name %(u)s already exists in the system.") % {"u": username})
        elif username.lower() in seen:
            msgs.append(_("the user name %(u)s is repeated (first on row %(other)s).") % {"u": username, "other": seen[username.lower()]})
        if username:
            seen.setdefault(username.lower(), number)
        if not full_name:
            msgs.append(_("the full name is missing."))
        if mobile and not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
            msgs.append(_("the mobile number %(m)s is not an 11-digit mobile number.") % {"m": mobile})
        if not password:
            msgs.append(_("the initial password is missing."))
        else:
            try:
                validate_password(password, User(username=username, full_name=full_name, mobile=mobile))
            except ValidationError as exc:
                msgs.append(_("the initial password is too weak: %(why)s") % {"why": "".join(exc.messages)})
        if not org_code:
            msgs.append(_("the org code is missing."))
        elif org_code.lower() not in orgs:
            msgs.append(_("the org code %(code)s does not exist (or the org is deactivated).") % {"code": org_code})
        if role_word not in ROLE_WORDS:
            msgs.append(_("the role %(role)s is not one of: %(roles)s.") % {
                "role": role_word or "—", "roles": "、".join(str(r.label) for r in Role)})
        try:
            start = cell_date(v[h_start]) or timezone.localdate()
        except ValueError:
            msgs.append(_("the start date %(d)s is not a date (use 2026-01-01).") % {"d": cell_text(v[h_start])})
            start = None
        userids = {}
        for header, provider in WORKAPP_HEADERS.items():
            userid = cell_text(v[header])
            if not userid:
                continue
            key = (provider, userid.lower())
            if len(userid) > 64 or not all(c.isalnum() or c in "@.-_" for c in userid):
                msgs.append(_("the %(col)s %(id)s may use only letters, digits and @ . - _ (at most 64).")
                            % {"col": header, "id": userid[:80]})
            elif key in bound:
                msgs.append(_("the %(col)s %(id)s is already bound to another account.") % {"col": header, "id": userid})
            elif key in seen_userids:
                msgs.append(_("the %(col)s %(id)s is repeated (first on row %(other)s).")
                            % {"col": header, "id": userid, "other": seen_userids[key]})
            seen_userids.setdefault(key, number)
            userids[provider] = userid
        if msgs:
            errors.extend(_row(number, m) for m in msgs)
            continue
        parsed.append({"username": username, "full_name": full_name, "mobile": mobile, "password": password,
                       "org_id": orgs[org_code.lower()], "role": ROLE_WORDS[role_word],
                       "title": cell_text(v[h_title])[:50], "start": start, "userids": userids})
    result.rows = len(rows)
    if errors:
        raise ImportRefused(errors)
    hashes = {}
    now = timezone.now()
    with transaction.atomic():
        users = []
        for r in parsed:
            if r["password"] not in hashes:
                hashes[r["password"]] = make_password(r["password"])
            users.append(User(username=r["username"], full_name=r["full_name"], mobile=r["mobile"],
                              password=hashes[r["password"]], must_change_password=True, password_changed_at=now))
        User.objects.bulk_create(users, batch_size=BATCH)
        ids = dict((u.lower(), pk) for u, pk in User.objects.filter(username__in=[r["username"] for r in parsed]).values_list("username", "pk"))
        memberships = [
            Membership(user_id=ids[r["username"].lower()], org_id=r["org_id"], role=r["role"], title=r["title"], start_date=r["start"])
            for r in parsed
        ]
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        OrgUnitUserObjectPermission.objects.bulk_create(grants_for(memberships), batch_size=BATCH)
        Binding.objects.bulk_create([
            Binding(user_id=ids[r["username"].lower()], provider=provider, userid=userid, via=Binding.Via.IMPORT)
            for r in parsed for provider, userid in r["userids"].items()
        ], batch_size=BATCH)
        result.created = len(users)
        audit.record("accounts.accounts_imported", user=user, rows=result.rows, created=result.created,
                     usernames=",".join(r["username"] for r in parsed[:50]))
    return result


def import_file(kind: str, data, *, user=None) -> ImportResult:
    """Run one import of ``data`` (bytes or an uploaded file); problems come back as
    ``result.errors`` (nothing written then)."""
    func = {"orgs": import_orgs, "accounts": import_accounts}[kind]
    try:
        return func(data, user=user)
    except ImportRefused as exc:
        return ImportResult(kind, errors=exc.errors)
    except ValidationError as exc:
        return ImportResult(kind, errors=list(exc.messages))
