"""Refreshing the participation rollups (``ParticipationRollup``): every dashboard figure counted
in advance, in one transaction, inside PostgreSQL or SQLite.

Why: counting the district's figures directly (``participation.counts``) takes seconds at the
district's scale (100,000 parents, 300,000 enrolments: ``bench/participation_bench.py``); reading
the rollup takes milliseconds. The price is freshness: beat refreshes every few minutes
(``huiai/settings/celery.py``) and a completed course asks for a refresh within a minute
(``participation.tasks``). ``tests/participation/test_rollups.py`` compares every rollup figure
with the direct count.

How: one temporary table of per-person flags (a parent, their street, whether they joined a
class, enrolled, completed, were certified), then one ``INSERT … SELECT … GROUP BY`` per kind of
group. Each statement is a plain grouped scan: no correlated subquery per group.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role

MONTHS = 13  # this month and the twelve before: the trend and "this month against last"

FLAGS = """
CREATE TEMP TABLE participation_flags AS
SELECT people.id AS parent_id,
       pp.street_id,
       EXISTS (SELECT 1 FROM auth_group g JOIN accounts_user_groups ug ON ug.group_id = g.id
               WHERE ug.user_id = people.id AND g.name = %(parents_group)s) AS is_parent,
       EXISTS (SELECT 1 FROM participation_child c
               WHERE c.parent_id = people.id AND c.school_class_id IS NOT NULL) AS joined,
       EXISTS (SELECT 1 FROM courses_enrolment e
               WHERE e.parent_id = people.id AND e.status <> 'left') AS enrolled,
       EXISTS (SELECT 1 FROM courses_enrolment e
               WHERE e.parent_id = people.id AND e.completed_at IS NOT NULL) AS completed,
       EXISTS (SELECT 1 FROM courses_certificate ce
               WHERE ce.parent_id = people.id AND ce.revoked_at IS NULL) AS certified
FROM (SELECT ug.user_id AS id FROM accounts_user_groups ug JOIN auth_group g ON g.id = ug.group_id
      WHERE g.name = %(parents_group)s
      UNION SELECT parent_id FROM participation_child
      UNION SELECT parent_id FROM participation_parentprofile) AS people
LEFT JOIN participation_parentprofile pp ON pp.parent_id = people.id
"""

# Each person once per school or class they have a child in.
PAIRS = "(SELECT DISTINCT parent_id, {column} AS grp FROM participation_child WHERE {column} IS NOT NULL)"

# count(CASE … END) rather than sum: over no rows it is 0, not NULL, so the district's statement
# (no GROUP BY) writes its row, the "counted at" marker, even in a district without parents.
FIGURES = """
count(*), count(CASE WHEN f.joined THEN 1 END), count(CASE WHEN f.enrolled THEN 1 END),
count(CASE WHEN f.completed THEN 1 END), count(CASE WHEN f.certified THEN 1 END)
"""
COURSE_FIGURES = "count(*), sum(CASE WHEN e.completed_at IS NOT NULL THEN 1 ELSE 0 END)"
INSERT = "INSERT INTO participation_participationrollup (kind, key, sub, course_id, month, {columns}, refreshed_at) "
GROUP_COLUMNS = "registered, joined, enrolled, completed, certified"

# (kind, key, sub, FROM, WHERE): where each person of a group comes from
JOINED = " p JOIN participation_flags f ON f.parent_id = p.parent_id"
GROUPS = [
    ("district", "0", "0", "participation_flags f", "f.is_parent"),
    ("school", "p.grp", "0", PAIRS.format(column="school_id") + JOINED, ""),
    ("class", "p.grp", "0", PAIRS.format(column="school_class_id") + JOINED, ""),
    ("street", "f.street_id", "0", "participation_flags f", "f.street_id IS NOT NULL"),
    ("street_school", "f.street_id", "p.grp", PAIRS.format(column="school_id") + JOINED, "f.street_id IS NOT NULL"),
]


def _where(*conditions: str) -> str:
    given = [condition for condition in conditions if condition]
    return f" WHERE {' AND '.join(given)}" if given else ""


def _statements() -> list[str]:
    statements = []
    for kind, key, sub, source, where in GROUPS:
        keys = [] if kind == "district" else [key] + ([sub] if sub != "0" else [])
        group_by = f" GROUP BY {', '.join(keys)}" if keys else ""
        statements.append(
            INSERT.format(columns=GROUP_COLUMNS)
            + f"SELECT '{kind}', {key}, {sub}, NULL, NULL, {FIGURES}, %(now)s FROM {source}{_where(where)}{group_by}"
        )
        if kind == "street_school":
            continue
        by_course = ", ".join([*keys, "e.course_id"])
        not_left = _where(where, "e.status <> 'left'")
        statements.append(
            INSERT.format(columns="enrolled, completed")
            + f"SELECT '{kind}', {key}, 0, e.course_id, NULL, {COURSE_FIGURES}, %(now)s FROM {source}"
            + f" JOIN courses_enrolment e ON e.parent_id = f.parent_id{not_left}"
            + f" GROUP BY {by_course}"
        )
        by_month = ", ".join([*keys, "m.month"])
        statements.append(
            INSERT.format(columns="completions")
            + f"SELECT '{kind}', {key}, 0, NULL, m.month, count(*), %(now)s FROM {source}"
            + f" JOIN participation_completion m ON m.parent_id = f.parent_id{_where(where)} GROUP BY {by_month}"
        )
    return statements


def _completions_sql(since: datetime.datetime) -> tuple[str, list[str | datetime.datetime]]:
    """Completions since ``since`` with the local month each falls in (as ``TruncMonth`` says)."""
    if connection.vendor == "postgresql":
        month = "date_trunc('month', e.completed_at AT TIME ZONE %s)::date"
        params: list[str | datetime.datetime] = [settings.TIME_ZONE, since]
    else:  # SQLite stores UTC; the month of the local time is worked out in Python
        month = "e.completed_at"
        params = [since]
    sql = (
        "CREATE TEMP TABLE participation_completion AS SELECT e.parent_id, "
        f"{month} AS month FROM courses_enrolment e WHERE e.completed_at >= %s"
    )
    return sql, params


def first_month(today: datetime.date | None = None, months: int = MONTHS) -> datetime.date:
    start = (today or timezone.localdate()).replace(day=1)
    for _n in range(months - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start


# The row every refresh leaves behind, whose ``refreshed_at`` is when it counted: the district's
# all-course figures (one row, zeros in a district without parents; see FIGURES).
MARKER = {"kind": "district", "key": 0, "sub": 0, "course": None, "month": None}


@transaction.atomic
def refresh(*, now: datetime.datetime | None = None) -> int:
    """Counts every figure afresh and replaces the rollup; returns how many rows it holds."""
    from participation.models import ParticipationRollup

    now = now or timezone.now()
    start = first_month(timezone.localdate(now))
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One refresh at a time (beat's and a completion's may meet): a second waits, then
            # replaces the first's rows instead of adding its own beside them.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('participation_rollup'))")
        cursor.execute("DROP TABLE IF EXISTS participation_flags")
        cursor.execute("DROP TABLE IF EXISTS participation_completion")
        cursor.execute(FLAGS, {"parents_group": Role.PARENT.group_name})
        sql, params = _completions_sql(since)
        cursor.execute(sql, params)
        if connection.vendor != "postgresql":
            _localise_months(cursor)
        ParticipationRollup.objects.all().delete()
        for statement in _statements():
            cursor.execute(statement, {"now": now})
        cursor.execute("DROP TABLE participation_flags")
        cursor.execute("DROP TABLE participation_completion")
    return ParticipationRollup.objects.count()


def _localise_months(cursor: Any) -> None:
    cursor.execute("SELECT DISTINCT month FROM participation_completion")
    for (value,) in cursor.fetchall():
        moment = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(str(value))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        month = timezone.localtime(moment).date().replace(day=1)
        cursor.execute("UPDATE participation_completion SET month = %s WHERE month = %s", [month, value])
