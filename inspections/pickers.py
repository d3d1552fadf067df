"""The talk form's pickers (accounts.pickers): the talker's unit — one the user holds talks for;
the talkers — those holding a post at that unit; the unit talked to — within that unit's talk
reach (services.talks.talks_reach); and the people talked to — those holding a post at the unit
talked to."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, OrgUnit
from accounts.pickers import PICKERS, people_at, person_picker, register, unit_picker

from .services.talks import talks_reach


def _mine(user):
    return OrgUnit.objects.restrict(user, "sensitive").filter(is_active=True)


def own_talker_org(user):
    """The unit the talk form starts with: the highest of the user's own posts at which they
    hold talks (None when they hold no post there, e.g. a superuser)."""
    return (Membership.objects.current().filter(user=user, org__in=_mine(user)).order_by("org__depth", "id")
            .values_list("org_id", flat=True).first())


def talkable_orgs(user):
    """Every unit a talk of the user's may be held with: their units and, for a county
    department among them, the county's (a department talks with towns and villages)."""
    mine = _mine(user)
    reach = Q(pk__in=mine)
    for path in {talks_reach(o)[0] for o in mine.filter(kind=OrgUnit.Kind.DEPARTMENT).only("path", "kind")}:
        reach |= Q(path__startswith=path)
    return OrgUnit.objects.filter(reach, is_active=True)


def _talked(user, params):
    talker = PICKERS["talk_org"].narrowed(user, params)
    if talker is None:
        return talkable_orgs(user)
    return OrgUnit.objects.filter(path__startswith=talks_reach(talker)[0], is_active=True)


def _people_of(kind):
    """The people holding a post at the unit the ``kind`` picker is narrowed to (none without one)."""
    def choices(user, params):
        org = PICKERS[kind].narrowed(user, params)
        return people_at(OrgUnit.objects.filter(pk=org.pk) if org else OrgUnit.objects.none())
    return choices


register("talker_org", unit_picker("sensitive", lambda user, p: _mine(user)))
register("talker", person_picker("sensitive", _people_of("talker"), units=_mine,
                                 refused=_("This person holds no post at the talker's organisation.")))
register("talk_org", unit_picker("sensitive", _talked, units=_mine,
                                 refused=_("Talks are recorded with your own organisation or one below it.")))
register("talkee", person_picker("sensitive", _people_of("talkee"), units=talkable_orgs,
                                 refused=_("This person holds no post at the organisation talked to.")))
