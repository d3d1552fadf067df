"""The county → town → village tree (under a 市 or province root where a commission above the
counties runs it), and guardian's grants on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from ..scope import RestrictedQuerySet


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("City or province")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    DEPARTMENT = "department", _("County department")


#: the kinds whose commission oversees a whole county or more (county staff, accounts.scope)
COUNTY_OR_ABOVE = frozenset({OrgKind.COUNTY, OrgKind.PROVINCE})


def county_path(path: str, kind_at) -> str:
    """The path of the county of the org at ``path`` — the one definition of "the county of an
    org": its nearest ancestor-or-self of kind county; an org above every county (a 市 or
    province root, its departments) belongs to its tree's root. ``kind_at(path)`` is the kind of
    the org at a path (None when unknown)."""
    for end in range(len(path), 0, -OrgUnit.steplen):
        if kind_at(path[:end]) == OrgKind.COUNTY:
            return path[:end]
    return path[: OrgUnit.steplen]


class OrgUnitQuerySet(RestrictedQuerySet, MP_NodeQuerySet):
    org_field = None  # an org is its own org


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self):
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user, action="view"):
        """The orgs ``user`` reaches for ``action`` (accounts.scope)."""
        return self.get_queryset().restrict(user, action)


class OrgUnit(MP_Node):
    """One party organisation: the county, a town (镇/乡/街道), a village (村/社区), a county
    department (县直单位, including the 纪委监委), or a 市 / province above the counties."""

    Kind = OrgKind

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("Stable identifier used by imports and exports."))
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    subkind = models.CharField(
        _("sub-kind"), max_length=16, blank=True, help_text=_("镇 / 乡 / 街道 / 区 / 村 / 社区 …")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    steplen = 4

    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("work_orgunit", "Record work for the organisation"),
            ("review_orgunit", "Review the work of the organisations below"),
            ("manage_orgunit", "Manage lists, inspections and reports in the subtree"),
            ("sensitive_orgunit", "See sensitive records in the subtree"),
        ]
        indexes = [
            models.Index(fields=["kind", "is_active"]),
            # one level of a subtree (the roots; a unit's children: depth = d AND path LIKE 'p%'),
            # read by pages at every level: a province has tens of thousands of units
            models.Index(fields=["depth", "path"], name="orgunit_level_idx", opclasses=["int4_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    @property
    def level(self) -> str:
        """The checklist level of this org (county / town / village / department)."""
        return self.kind

    def ancestor_paths(self) -> list[str]:
        """The paths of this org and of every org above it, from the root down."""
        return [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]

    def county(self) -> "OrgUnit":
        """The county of this org (county_path; one query)."""
        line = {o.path: o for o in OrgUnit.objects.filter(path__in=self.ancestor_paths())}
        line[self.path] = self
        return line[county_path(self.path, lambda p: line[p].kind if p in line else None)]


class OrgUnitUserObjectPermission(UserObjectPermissionBase):
    """A guardian grant with a direct foreign key (fast joins) and a validity window.

    Rows are written only by ``accounts.services.sync_grants`` from memberships and
    registered grant providers (e.g. an inspection team's window)."""

    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission"])]


class OrgUnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)
