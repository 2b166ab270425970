"""Writing new model rows in plain SQL, for the few statements every intake runs.

A counter intake inserts a dossier, its documents, workflow steps, parties, a handover row
and an audit event. Through ``Model.save()`` / ``bulk_create()`` Django rebuilds each INSERT
from scratch and prepares every value through several layers; measured with
``bench/profile_intake.py`` that was a quarter of the intake's CPU. ``insert`` writes the same
rows with one statement whose text is built once per model, and passes plain values straight
to the driver.

It is a narrow tool, not a second ORM: no signals are sent (callers use it only for models
without ``pre_save``/``post_save`` receivers), values of field types it does not know are
still prepared by Django, and it never updates.
"""

from django.db import connection, models
from django.db.models.constants import OnConflict

# Field classes whose Python value is what the driver expects on every database. Exact
# classes, not subclasses: a subclass may prepare its value differently.
_AS_IS = {
    models.CharField,
    models.TextField,
    models.EmailField,
    models.SlugField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.BooleanField,
    models.AutoField,
    models.BigAutoField,
    models.ForeignKey,  # its attname (…_id) holds the raw key
}
# psycopg adapts these itself; SQLite needs Django's conversion to text.
_AS_IS_POSTGRES = {models.DateTimeField, models.DateField, models.UUIDField}

_plans: dict[tuple, tuple] = {}

try:  # PostgreSQL only
    from psycopg import _queries as _psycopg_queries
except ImportError:  # pragma: no cover - SQLite-only installations
    _psycopg_queries = None
if _psycopg_queries is not None and hasattr(_psycopg_queries, "MAX_CACHED_STATEMENT_PARAMS"):
    # psycopg remembers how it split a statement's placeholders only for statements of at most
    # 50 parameters, because ORMs build multi-row INSERTs of every length. The ones built here
    # have a few fixed shapes per plan (a dossier's six workflow steps are 78 parameters), and
    # splitting one again on every intake cost ~0.3 ms of CPU.
    _psycopg_queries.MAX_CACHED_STATEMENT_PARAMS = max(
        _psycopg_queries.MAX_CACHED_STATEMENT_PARAMS, 400
    )


def _plan(model, vendor: str, with_pk: bool, ignore_conflicts: bool, returning: bool):
    """(SQL, [value getters]) for inserting one row of ``model``; cached per shape."""
    key = (model, vendor, with_pk, ignore_conflicts, returning)
    if key in _plans:
        return _plans[key]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    as_is = _AS_IS | (_AS_IS_POSTGRES if vendor == "postgresql" else set())
    getters = []
    for field in fields:
        simple = type(field) in as_is and not getattr(field, "auto_now", False)
        simple = simple and not getattr(field, "auto_now_add", False)
        getters.append(_raw(field.attname) if simple else _prepared(field))
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    head = connection.ops.insert_statement(on_conflict=on_conflict)
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = ""
    if ignore_conflicts:
        suffix = " " + (connection.ops.on_conflict_suffix_sql(fields, on_conflict, [], []) or "")
    if returning:
        suffix += " RETURNING " + quote(model._meta.pk.column)
    plan = (f"{head} {quote(model._meta.db_table)} ({columns}) VALUES ", row, suffix, getters)
    _plans[key] = plan
    return plan


def _raw(attname):
    return lambda obj: obj.__dict__[attname]


def _prepared(field):
    def get(obj):
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    return get


def insert(objs, *, ignore_conflicts: bool = False) -> None:
    """INSERT new, unsaved instances of one model in one statement.

    Instances that already carry a primary key (all of them or none) are written with it;
    otherwise the database assigns the keys and they are read back (``RETURNING``, in the
    order of the rows, as Django's own ``bulk_create`` relies on) and set on the instances.
    With ``ignore_conflicts`` rows that collide with a unique constraint are skipped (and keep
    no key).
    """
    objs = list(objs)
    if not objs:
        return
    model = type(objs[0])
    with_pk = objs[0].pk is not None
    returning = not with_pk and not ignore_conflicts
    head, row, suffix, getters = _plan(
        model, connection.vendor, with_pk, ignore_conflicts, returning
    )
    params = [get(obj) for obj in objs for get in getters]
    sql = head + ", ".join([row] * len(objs)) + suffix
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
