"""``InIds``: a column is one of a set of ids, the filter behind every reach of the policy
(accounts.scope) that is not "every org".

A county's reach holds hundreds of orgs and a province's tens of thousands. As ``IN (%s, %s,
…)`` each id is a parameter that Django prepares and the driver binds and parses on every
query, and no two reaches give the same query text. On PostgreSQL the ids go as one array
parameter instead (``= ANY(%s::bigint[])``): the text stays the same, the driver's parse of it is
cached, and the planner sees the same constant array it makes of an IN list. Other databases
(the embedded SQLite) get the IN list.
"""

from django.db.models import Lookup


class InIds(Lookup):
    """``Q(InIds(F("org_id"), ids))``: the column's value is one of ``ids`` (ints, not empty)."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = sorted(int(i) for i in self.rhs)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.db_type(connection) + "[]"
        return f"{lhs} = ANY(%s::{array_type})", (*lhs_params, sorted(int(i) for i in self.rhs))
