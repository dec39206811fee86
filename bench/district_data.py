"""The district at the seed's scale, built inside PostgreSQL (shared by the benches).

``seed_reference_data`` makes streets, the demo courses (with extra lessons), workstations and
60 schools with their parent schools; ``fill`` adds 100,000 parents, 3,000 classes, about
120,000 children, 300,000 enrolments, 1,000,000 lesson-progress rows and the certificates;
``fill_cases`` adds 5,000 bullying reports of those schools in every state of the workflow.
Rows are made by ``INSERT … SELECT generate_series`` (nothing crosses the wire), then
``ANALYZE``d. Used by ``bench/participation_bench.py`` (its own database) and
``bench/load_run.py`` (the database the production stack serves).
"""

from __future__ import annotations

import time

PARENTS = 100_000
SCHOOLS = 60
CLASSES_PER_SCHOOL = 50
ENROLMENTS = 300_000
PROGRESS = 1_000_000
CASES = 5_000
EXTRA_LESSONS_PER_COURSE = 4  # the demo's 6 courses have 14 lessons; 1,000,000 rows need more
SCHOOL_NAME = "基准学校"


def seed_reference_data() -> dict:
    """Streets, demo courses (with extra lessons), workstations, 60 schools and their parent schools."""
    from courses.models import CoursePage
    from demo.builder import load
    from demo.recipes.courses import create_demo_courses
    from demo.recipes.workstations import create_demo_workstations
    from participation.models import ParentSchool
    from schools.models import School, StreetTown
    from tests.factories.courses import LessonPageFactory

    spec = load("schools.json")
    streets = [
        StreetTown.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "sort_order": n})[0]
        for n, row in enumerate(spec["street_towns"])
    ]
    create_demo_courses()
    for course in CoursePage.objects.live():
        for _n in range(EXTRA_LESSONS_PER_COURSE):
            LessonPageFactory(parent=course, slug=f"bench-lesson-{_n}")
    create_demo_workstations()
    schools = School.objects.bulk_create(
        School(
            name=f"{SCHOOL_NAME}{n:02d}",
            street_town=streets[n % len(streets)],
            level="junior" if n % 3 else "primary",
        )
        for n in range(SCHOOLS)
    )
    ParentSchool.objects.bulk_create(ParentSchool(school=school, name=f"{school.name}家长学校") for school in schools)
    return {"streets": len(streets)}


FILL_SQL = [
    # Classes: 50 per bench parent school, grades 1–9, codes unique.
    """
    INSERT INTO participation_schoolclass (parent_school_id, grade, name, code, code_expires_at)
    SELECT ps.id, 1 + (n %% 9), (n / 9 + 1) || '班', 'B' || lpad((ps.id * 100 + n)::text, 8, '0'),
           now() + interval '30 days'
    FROM participation_parentschool ps CROSS JOIN generate_series(0, %(classes_per_school)s - 1) AS n
    WHERE ps.school_id IN (SELECT id FROM schools_school WHERE name LIKE %(school_name)s)
    """,
    # Parents, in the Parents group, signed up over the last year.
    """
    INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                               is_active, date_joined, name, phone, phone_verified, elder_mode)
    SELECT '!', false, 'bench-p-' || n, '', '', '', false, true,
           now() - (n %% 365) * interval '1 day', '基准家长' || n, '+86137' || lpad(n::text, 8, '0'), true, false
    FROM generate_series(1, %(parents)s) AS n
    """,
    """
    INSERT INTO accounts_user_groups (user_id, group_id)
    SELECT u.id, g.id FROM accounts_user u, auth_group g WHERE u.username LIKE 'bench-p-%%' AND g.name = 'Parents'
    """,
    # Profiles: 95 % name a street.
    """
    INSERT INTO participation_parentprofile (parent_id, street_id, consented_at, updated_at)
    SELECT u.id,
           CASE WHEN u.id %% 20 = 0 THEN NULL ELSE (SELECT id FROM schools_streettown ORDER BY id
                OFFSET (u.id * 7) %% (SELECT count(*) FROM schools_streettown) LIMIT 1) END,
           now(), now()
    FROM accounts_user u WHERE u.username LIKE 'bench-p-%%'
    """,
    # Children: one per parent, a second for one parent in five; 85 % joined a class.
    """
    CREATE TEMP TABLE bench_class AS
    SELECT row_number() OVER (ORDER BY c.id) - 1 AS ordinal, c.id, c.grade, ps.school_id
    FROM participation_schoolclass c JOIN participation_parentschool ps ON ps.id = c.parent_school_id
    """,
    """
    INSERT INTO participation_child (parent_id, school_id, grade, school_class_id, joined_at)
    SELECT u.id, bc.school_id, bc.grade,
           CASE WHEN (u.id * 13 + k) %% 100 < 85 THEN bc.id END,
           CASE WHEN (u.id * 13 + k) %% 100 < 85 THEN now() - (u.id %% 300) * interval '1 day' END
    FROM accounts_user u
    CROSS JOIN generate_series(0, 1) AS k
    JOIN bench_class bc ON bc.ordinal = (u.id * 31 + k * 977) %% (SELECT count(*) FROM bench_class)
    WHERE u.username LIKE 'bench-p-%%' AND (k = 0 OR u.id %% 5 = 0)
    """,
    # Enrolments: 1–5 courses per parent (3 on average: 300,000), 40 % completed, 5 % left.
    """
    CREATE TEMP TABLE bench_course AS
    SELECT row_number() OVER (ORDER BY p.path) - 1 AS ordinal, p.id
    FROM courses_coursepage c JOIN wagtailcore_page p ON p.id = c.page_ptr_id
    """,
    """
    INSERT INTO courses_enrolment (course_id, parent_id, status, source, requested_at, enrolled_at, completed_at)
    SELECT bc.id, u.id,
           CASE WHEN (u.id + k) %% 20 = 0 THEN 'left' ELSE 'active' END, 'open',
           now() - ((u.id + k * 37) %% 360 + 5) * interval '1 day',
           now() - ((u.id + k * 37) %% 360 + 5) * interval '1 day',
           CASE WHEN (u.id * 3 + k) %% 5 < 2 THEN now() - ((u.id + k * 37) %% 360) * interval '1 day' END
    FROM accounts_user u
    CROSS JOIN generate_series(0, 4) AS k
    JOIN bench_course bc ON bc.ordinal = (u.id + k) %% (SELECT count(*) FROM bench_course)
    WHERE u.username LIKE 'bench-p-%%' AND k < 1 + (u.id * 7919) %% 5
    """,
    # Lesson progress: every lesson of a completed course, the first 1–4 of the others.
    """
    CREATE TEMP TABLE bench_lesson AS
    SELECT l.page_ptr_id AS id, c.page_ptr_id AS course_id,
           row_number() OVER (PARTITION BY c.page_ptr_id ORDER BY lp.path) - 1 AS ordinal
    FROM courses_lessonpage l JOIN wagtailcore_page lp ON lp.id = l.page_ptr_id
    JOIN wagtailcore_page cp ON lp.path LIKE cp.path || '%%' AND lp.depth = cp.depth + 1
    JOIN courses_coursepage c ON c.page_ptr_id = cp.id
    """,
    """
    INSERT INTO courses_lessonprogress (parent_id, lesson_id, first_opened_at, position_seconds, watched_intervals,
                                        watched_seconds, completed_at, updated_at)
    SELECT e.parent_id, bl.id, e.enrolled_at, 0, '[]', 300, coalesce(e.completed_at, e.enrolled_at), now()
    FROM courses_enrolment e JOIN bench_lesson bl ON bl.course_id = e.course_id
    JOIN accounts_user u ON u.id = e.parent_id AND u.username LIKE 'bench-p-%%'
    WHERE e.completed_at IS NOT NULL OR bl.ordinal < 1 + e.id %% 4
    LIMIT %(progress)s
    """,
    # Certificates for 70 % of completions.
    """
    INSERT INTO courses_certificate (enrolment_id, parent_id, course_id, code, version, name, course_title, minutes,
                                     issuer, completed_on, issued_at, pdf)
    SELECT e.id, e.parent_id, e.course_id, 'BENCH' || e.id, 1, '基准家长', '课程', 60, '', e.completed_at::date,
           e.completed_at, ''
    FROM courses_enrolment e JOIN accounts_user u ON u.id = e.parent_id AND u.username LIKE 'bench-p-%%'
    WHERE e.completed_at IS NOT NULL AND e.id %% 10 < 7
    """,
    "ANALYZE",
]


def fill() -> dict[str, int]:
    from django.db import connection, transaction

    params = {
        "classes_per_school": CLASSES_PER_SCHOOL,
        "parents": PARENTS,
        "progress": PROGRESS,
        "school_name": SCHOOL_NAME + "%",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in FILL_SQL[:-1]:
            started = time.perf_counter()
            cursor.execute(statement, params)
            print(f"  {time.perf_counter() - started:6.1f} s  {' '.join(statement.split())[:70]}…", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts()


def counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "parents": "SELECT count(*) FROM accounts_user WHERE username LIKE 'bench-p-%%'",
        "schools": "SELECT count(*) FROM participation_parentschool",
        "classes": "SELECT count(*) FROM participation_schoolclass",
        "children": "SELECT count(*) FROM participation_child",
        "enrolments": "SELECT count(*) FROM courses_enrolment",
        "lesson progress": "SELECT count(*) FROM courses_lessonprogress",
        "certificates": "SELECT count(*) FROM courses_certificate",
        "cases": "SELECT count(*) FROM schools_bullyingreport",
    }
    with connection.cursor() as cursor:
        counts = {}
        for label, sql in tables.items():
            cursor.execute(sql)
            counts[label] = cursor.fetchone()[0]
    return counts


# Cases: 5,000 reports of the bench schools over the last year, in every state (4 % drafts, 30 %
# closed; a case's age follows its state), each with the timestamps of the steps it went through
# and one or two students. The texts are one encrypted value each (the columns hold Fernet
# tokens); numbers continue each year's sequence, which is moved past them, so the reports filed
# under load number on.
CASES_SQL = [
    """
    CREATE TEMP TABLE bench_case AS
    SELECT n, state,
           -- A case's age follows its state, as in a district that keeps its deadlines: reports
           -- still to acknowledge are from the last day, investigations from the last weeks;
           -- one in 23 of those is late (the dashboards' overdue list).
           now() - CASE WHEN state = 'submitted' THEN (n %% 20) * interval '1 hour'
                        WHEN state = 'investigating' THEN (2 + n %% 25) * interval '1 day'
                        WHEN state = 'acknowledged' THEN (1 + n %% 3) * interval '1 day'
                        ELSE ((n * 7) %% 330 + 31) * interval '1 day' END
                 - CASE WHEN n %% 23 = 0 THEN interval '40 days' ELSE interval '0' END AS created_at,
           school_id
    FROM (
        SELECT n,
               CASE WHEN n %% 100 < 4 THEN 'draft' WHEN n %% 100 < 16 THEN 'submitted'
               WHEN n %% 100 < 28 THEN 'acknowledged' WHEN n %% 100 < 42 THEN 'investigating'
               WHEN n %% 100 < 52 THEN 'determined' WHEN n %% 100 < 66 THEN 'handling'
               WHEN n %% 100 < 96 THEN 'closed' ELSE 'review_requested' END AS state,
               (SELECT id FROM schools_school WHERE name LIKE %(school_name)s ORDER BY id
                OFFSET n %% (SELECT count(*) FROM schools_school WHERE name LIKE %(school_name)s) LIMIT 1) AS school_id
        FROM generate_series(1, %(cases)s) AS n
    ) AS planned
    """,
    """
    INSERT INTO schools_bullyingreport (
        draft_token, source, state, incident_date, incident_time, place, bullying_types, narrative, frequency,
        injury, involves_sexual_harm, possibly_criminal, severity, is_mandatory_report, mandatory_reasons,
        police_informed, guardians_notified, guardians_notified_at, immediate_measures, determination,
        committee_roles, measures, created_at, updated_at, submitted_at, acknowledged_at,
        investigation_started_at, determined_at, handling_started_at, closed_at, acknowledge_due_at,
        determination_due_at, school_id, school_summary, shared_with_school)
    SELECT gen_random_uuid(), 'school', c.state, (c.created_at - interval '1 day')::date, '10:30',
           (ARRAY['classroom', 'corridor', 'playground', 'toilet', 'online'])[1 + c.n %% 5],
           '["verbal"]', %(narrative)s, 'once', 'none', false, false, 'general', false, '[]', false, true,
           c.created_at, %(measures)s,
           CASE WHEN c.state IN ('determined', 'handling', 'closed', 'review_requested') THEN 'bullying' ELSE '' END,
           '[]', '[]', c.created_at, now(),
           CASE WHEN c.state <> 'draft' THEN c.created_at + interval '1 hour' END,
           CASE WHEN c.state NOT IN ('draft', 'submitted') THEN c.created_at + interval '1 day' END,
           CASE WHEN c.state NOT IN ('draft', 'submitted', 'acknowledged') THEN c.created_at + interval '2 days' END,
           CASE WHEN c.state IN ('determined', 'handling', 'closed', 'review_requested')
                THEN c.created_at + interval '10 days' END,
           CASE WHEN c.state IN ('handling', 'closed', 'review_requested') THEN c.created_at + interval '11 days' END,
           CASE WHEN c.state IN ('closed', 'review_requested') THEN c.created_at + interval '30 days' END,
           CASE WHEN c.state <> 'draft' THEN c.created_at + interval '1 day' END,
           CASE WHEN c.state <> 'draft' THEN c.created_at + interval '30 days' END,
           c.school_id, '', '[]'
    FROM bench_case c ORDER BY c.created_at
    """,
    # Numbers: XH-<year>-NNNN after whatever the year's sequence already gave out.
    """
    WITH numbered AS (
        SELECT r.id, extract(year FROM r.submitted_at)::int AS year,
               row_number() OVER (PARTITION BY extract(year FROM r.submitted_at) ORDER BY r.submitted_at, r.id) AS k
        FROM schools_bullyingreport r
        WHERE r.case_number IS NULL AND r.state <> 'draft' AND r.school_id IN (
            SELECT id FROM schools_school WHERE name LIKE %(school_name)s)
    )
    UPDATE schools_bullyingreport r
    SET case_number = 'XH-' || numbered.year || '-' || lpad((coalesce(s.last_number, 0) + numbered.k)::text, 4, '0')
    FROM numbered LEFT JOIN schools_casenumbersequence s ON s.year = numbered.year
    WHERE r.id = numbered.id
    """,
    """
    INSERT INTO schools_casenumbersequence (year, last_number)
    SELECT split_part(case_number, '-', 2)::int, max(split_part(case_number, '-', 3)::int)
    FROM schools_bullyingreport WHERE case_number LIKE 'XH-%%' GROUP BY 1
    ON CONFLICT (year) DO UPDATE SET last_number = greatest(schools_casenumbersequence.last_number,
                                                            excluded.last_number)
    """,
    """
    INSERT INTO schools_involvedstudent (report_id, role, grade, class_name, name)
    SELECT r.id, CASE WHEN k = 0 THEN 'target' ELSE 'initiator' END, (1 + r.id %% 9) || '年级',
           (1 + r.id %% 12) || '班', ''
    FROM schools_bullyingreport r CROSS JOIN generate_series(0, 1) AS k
    WHERE r.school_id IN (SELECT id FROM schools_school WHERE name LIKE %(school_name)s) AND (k = 0 OR r.id %% 2 = 0)
    """,
]


def fill_cases() -> int:
    """The 5,000 bench cases (none are added twice: the bench schools' existing reports count)."""
    from django.db import connection, transaction

    from schools.crypto import encrypt
    from schools.models import BullyingReport

    existing = BullyingReport.objects.filter(school__name__startswith=SCHOOL_NAME).count()
    if existing >= CASES:
        return existing
    params = {
        "cases": CASES - existing,
        "school_name": SCHOOL_NAME + "%",
        "narrative": encrypt("课间两名同学多次推搡并辱骂同班同学，班主任发现后制止。"),
        "measures": encrypt("班主任当场制止，分开学生并通知家长。"),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in CASES_SQL:
            started = time.perf_counter()
            cursor.execute(statement, params)
            print(f"  {time.perf_counter() - started:6.1f} s  {' '.join(statement.split())[:70]}…", flush=True)
        cursor.execute("DROP TABLE bench_case")
        cursor.execute("ANALYZE schools_bullyingreport")
    return BullyingReport.objects.filter(school__name__startswith=SCHOOL_NAME).count()
