"""Who configures reminders and robots: users holding "manage" at a root org."""

import pytest

from accounts.models import OrgUnit
from accounts.scope import visible_to
from notifications.permissions import is_county_manager
from tests.county import make_user

pytestmark = pytest.mark.django_db


def test_county_manager_is_manage_reaching_a_root_for_every_user(county):
    users = [*county.users.values(), make_user("root", is_superuser=True, is_staff=True)]
    managers = {u.username for u in users if is_county_manager(u)}
    assert managers == {u.username for u in users if u.is_superuser or visible_to(u, "manage").filter(depth=1).exists()}
    assert managers == {"staff", "root"}
    OrgUnit.objects.filter(depth=1).update(is_active=False)
    assert not is_county_manager(county.staff), "a grant on a deactivated root manages nothing"
