"""``field__any_of=[ids]``: membership in a list of integers (ids) given as one parameter.

Django's ``__in`` sends each member as its own parameter: for a supervisor of a city (300 agencies) every page's
queries carried 300 placeholders, which Django built and psycopg parsed one by one (about a third of such a
page's time) and PostgreSQL planned as a 300-item list.  On PostgreSQL ``any_of`` is ``= ANY(%s)`` with the
list as one array parameter; elsewhere (SQLite) it is the same ``IN`` as ``__in``; one member is ``= %s``, as
PostgreSQL reads ``IN (x)``.  Same rows either way."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if len(values) == 1:  # an equality, which an index scan can also read in order (a staff user's agency)
            return f"{lhs} = %s", [*lhs_params, values[0]]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    IntegerField.register_lookup(AnyOf)
    ForeignKey.register_lookup(AnyOf)
