"""Moving models between apps keeps an existing database's rows, tables and content types.

The test winds the database back to the last migrations before a move (``*_BEFORE``), writes
rows the way the old code stored them (pages of the moved types with a revision, a snippet, a
registration, a log entry, pages tagged with moved snippets), migrates forward and reads
everything back through the new code: the same rows and tags, the content types renamed in
place (same ids), the page still served and its revision still loaded as the moved class, the
permissions still granted.

Migrating inside a test renames content types and leaves the migrated data of other tests
behind, so it is a transactional test with serialized rollback (the snapshot of the migrated
data is restored for the next test) and it leaves the content type cache filled from the renamed rows on the way out.
"""

from __future__ import annotations

import datetime

from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.utils import timezone

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# For each move: the leaf migrations of the app that lost models, and the app that gained them, before it.
ALLIANCE_BEFORE = [("schools", "0009_outbox_retry_and_idempotency"), ("alliance", None)]
WORKSTATIONS_BEFORE = [("home", "0003_search_and_workstations"), ("workstations", None)]
SEARCH_BEFORE = [("home", "0004_workstations_moved_to_their_own_app"), ("search", None)]
# The taxonomy left courses; library's tags were repointed too (library 0003).
TAXONOMY_BEFORE = [
    ("courses", "0007_teacher_media_permission"),
    ("library", "0002_media_block_wagtailmedia"),
    ("taxonomy", None),
]


def migrate(targets):
    """Migrate to ``targets`` (``None``: to the latest state) and return the models at that state."""
    executor = MigrationExecutor(connection)
    # The state of the migrations applied afterwards: winding an app back also unapplies every
    # later migration that depends on it (search 0001 needs home 0004, for one).
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    if targets is None:
        # Fill the cache again from the renamed rows. Left empty, the next transactional test's
        # snapshot restore runs signal handlers that look content types up, create them anew
        # and then collide with the snapshot's rows ("duplicate key (wagtailcore, ...)").
        ContentType.objects.get_for_models(*django_apps.get_models(), for_concrete_models=False)
    return state.apps


@pytest.fixture
def old_apps():
    """The historical models at the state before the alliance move; the latest state again afterwards."""
    apps = migrate(ALLIANCE_BEFORE)
    yield apps
    migrate(None)  # a failed test must not leave the database at the old state


@pytest.fixture
def old_workstation_apps():
    """The historical models at the state before the workstation move; the latest state again afterwards."""
    apps = migrate(WORKSTATIONS_BEFORE)
    yield apps
    migrate(None)


@pytest.fixture
def old_search_apps():
    """The historical models at the state before the search move; the latest state again afterwards."""
    apps = migrate(SEARCH_BEFORE)
    yield apps
    migrate(None)


@pytest.fixture
def old_taxonomy_apps():
    """The historical models at the state before the taxonomy move; the latest state again afterwards."""
    apps = migrate(TAXONOMY_BEFORE)
    yield apps
    migrate(None)


def child_path(parent, step: str = "ZZZZ") -> str:
    return parent.path + step  # after any child the site's tree already has


def add_page(apps, label: str, parent, *, step: str = "ZZZZ", **fields):
    """A live page of the historical model ``label`` ("app.Model") below ``parent``; a second
    child of the same parent needs another ``step`` (e.g. "ZZZY")."""
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model(label)
    app_label, model_name = label.split(".")
    content_type = ContentType.objects.get_or_create(app_label=app_label, model=model_name.lower())[0]
    page = model.objects.create(
        content_type=content_type,
        locale_id=parent.locale_id,
        path=child_path(parent, step),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        draft_title=fields["title"],
        live=True,
        first_published_at=timezone.now(),
        last_published_at=timezone.now(),
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    return page


def old_revision(apps, page, content_type, content: dict):
    """A page revision written the old way: its specific content type is the one about to move."""
    CT = apps.get_model("contenttypes", "ContentType")
    return apps.get_model("wagtailcore", "Revision").objects.create(
        content_type=content_type,
        base_content_type=CT.objects.get(app_label="wagtailcore", model="page"),
        object_id=str(page.pk),
        object_str=page.title,
        content=content,
        created_at=timezone.now(),
    )


def old_log_entry(apps, content_type, obj, label: str, action: str = "wagtail.edit"):
    """A log entry of a snippet written the old way, pointing at the content type about to move."""
    return apps.get_model("wagtailcore", "ModelLogEntry").objects.create(
        content_type=content_type, object_id=str(obj.pk), label=label, action=action, timestamp=timezone.now()
    )


def test_the_alliance_moves_out_of_schools_with_its_rows_and_content_types(old_apps, client):
    apps = old_apps
    CT = apps.get_model("contenttypes", "ContentType")
    Site = apps.get_model("wagtailcore", "Site")
    Group = apps.get_model("auth", "Group")
    AllianceMember = apps.get_model("schools", "AllianceMember")
    EventRegistration = apps.get_model("schools", "EventRegistration")
    assert not CT.objects.filter(app_label="alliance").exists()

    home = Site.objects.get(is_default_site=True).root_page
    member = AllianceMember.objects.create(name="迁移前的法院", category="court")
    index = add_page(apps, "schools.AllianceIndexPage", home, title="迁移前的联盟", slug="moved-alliance")
    starts = timezone.now() + datetime.timedelta(days=30)
    event = add_page(
        apps,
        "schools.AllianceEventPage",
        index,
        title="迁移前的讲座",
        slug="moved-lecture",
        kind="lecture",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="礼堂",
        audience="家长",
        capacity=30,
        summary="迁移前写下的活动。",
    )
    Organisers = event._meta.get_field("organisers").remote_field.through  # written on save() otherwise
    Organisers.objects.create(allianceeventpage_id=event.pk, alliancemember_id=member.pk)
    registration = EventRegistration.objects.create(event_id=event.pk, name="张三", phone="+8613800138000")
    event_type = CT.objects.get(app_label="schools", model="allianceeventpage")
    revision = old_revision(
        apps, event, event_type, {"pk": event.pk, "title": "改过的讲座标题", "slug": event.slug, "capacity": 40}
    )
    member_type = CT.objects.get(app_label="schools", model="alliancemember")
    log_entry = old_log_entry(apps, member_type, member, member.name)
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(content_type=member_type, codename="change_alliancemember").exists()
    type_ids = dict(CT.objects.filter(app_label="schools").values_list("model", "pk"))

    migrate(None)

    from django.contrib.auth.models import Permission
    from wagtail.models import ModelLogEntry as LogEntry
    from wagtail.models import Page
    from wagtail.models import Revision as PageRevision

    from alliance.models import AllianceEventPage, AllianceIndexPage, AllianceMember as Member
    from alliance.models import EventRegistration as Registration

    moved = {"allianceindexpage", "allianceeventpage", "alliancemember", "eventregistration"}
    for model in moved:
        renamed = ContentType.objects.get(app_label="alliance", model=model)
        assert renamed.pk == type_ids[model], model  # renamed in place: every reference still holds
    assert not ContentType.objects.filter(app_label="schools", model__in=moved).exists()

    assert Member.objects.get(pk=member.pk).name == "迁移前的法院"
    assert isinstance(Page.objects.get(pk=index.pk).specific, AllianceIndexPage)
    moved_event = Page.objects.get(pk=event.pk).specific
    assert isinstance(moved_event, AllianceEventPage)
    assert list(moved_event.organisers.values_list("pk", flat=True)) == [member.pk]
    assert Registration.objects.get(pk=registration.pk).event_id == event.pk
    assert moved_event.seats_left() == 29

    loaded = PageRevision.objects.get(pk=revision.pk).as_object()
    assert isinstance(loaded, AllianceEventPage)
    assert (loaded.title, loaded.capacity) == ("改过的讲座标题", 40)
    assert LogEntry.objects.get(pk=log_entry.pk).content_type.model_class() is Member
    assert Permission.objects.get(codename="change_alliancemember").content_type.app_label == "alliance"

    response = client.get(moved_event.url)
    assert response.status_code == 200
    assert "迁移前的讲座" in response.content.decode()


def test_the_workstation_directory_moves_out_of_home_with_its_rows_and_content_types(old_workstation_apps, client):
    apps = old_workstation_apps
    CT = apps.get_model("contenttypes", "ContentType")
    Site = apps.get_model("wagtailcore", "Site")
    Permission = apps.get_model("auth", "Permission")
    StationService = apps.get_model("home", "StationService")
    Workstation = apps.get_model("home", "Workstation")
    # Models added to workstations later (their content types made when the test database was built)
    # stay; none of the models still in home may have a workstations content type yet.
    still_in_home = [model._meta.model_name for model in apps.get_app_config("home").get_models()]
    assert not CT.objects.filter(app_label="workstations", model__in=still_in_home).exists()

    home = Site.objects.get(is_default_site=True).root_page
    service = StationService.objects.create(name="迁移前的心理咨询", slug="moved-counselling")
    station = Workstation.objects.create(
        kind="workstation",
        name="迁移前的工作站",
        street="xujiahui",
        address="迁移路 1 号",
        latitude="31.190000",
        longitude="121.430000",
    )
    Services = Workstation._meta.get_field("services").remote_field.through
    Services.objects.create(workstation_id=station.pk, stationservice_id=service.pk)
    directory = add_page(apps, "home.WorkstationIndexPage", home, title="迁移前的站点地图", slug="moved-stations")
    directory_type = CT.objects.get(app_label="home", model="workstationindexpage")
    revision = old_revision(
        apps,
        directory,
        directory_type,
        {"pk": directory.pk, "title": directory.title, "slug": directory.slug, "intro": "改过的介绍"},
    )
    station_type = CT.objects.get(app_label="home", model="workstation")
    log_entry = old_log_entry(apps, station_type, station, station.name)
    assert Permission.objects.filter(content_type=station_type, codename="change_workstation").exists()
    type_ids = dict(CT.objects.filter(app_label="home").values_list("model", "pk"))

    migrate(None)

    from django.contrib.auth.models import Permission as CurrentPermission
    from wagtail.models import ModelLogEntry as LogEntry
    from wagtail.models import Page
    from wagtail.models import Revision as PageRevision

    from workstations.models import Workstation as Station
    from workstations.models import WorkstationIndexPage

    moved = {"stationservice", "workstation", "workstationindexpage"}
    for model in moved:
        renamed = ContentType.objects.get(app_label="workstations", model=model)
        assert renamed.pk == type_ids[model], model  # renamed in place: every reference still holds
    assert not ContentType.objects.filter(app_label="home", model__in=moved).exists()
    assert ContentType.objects.get(app_label="home", model="homepage").pk == type_ids["homepage"]  # stays

    moved_station = Station.objects.get(pk=station.pk)
    assert (moved_station.name, moved_station.street) == ("迁移前的工作站", "xujiahui")
    assert list(moved_station.services.values_list("name", flat=True)) == ["迁移前的心理咨询"]
    moved_directory = Page.objects.get(pk=directory.pk).specific
    assert isinstance(moved_directory, WorkstationIndexPage)

    loaded = PageRevision.objects.get(pk=revision.pk).as_object()
    assert isinstance(loaded, WorkstationIndexPage)
    assert loaded.intro == "改过的介绍"
    assert LogEntry.objects.get(pk=log_entry.pk).content_type.model_class() is Station
    assert CurrentPermission.objects.get(codename="change_workstation").content_type.app_label == "workstations"

    response = client.get(moved_directory.url)
    assert response.status_code == 200
    assert "迁移前的工作站" in response.content.decode()


def test_the_search_synonyms_move_out_of_home_with_their_rows_and_content_type(old_search_apps):
    apps = old_search_apps
    CT = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    SearchSynonym = apps.get_model("home", "SearchSynonym")
    # Models added to search later (their content types made when the test database was built)
    # stay; none of the models still in home may have a search content type yet.
    still_in_home = [model._meta.model_name for model in apps.get_app_config("home").get_models()]
    assert not CT.objects.filter(app_label="search", model__in=still_in_home).exists()

    synonym = SearchSynonym.objects.create(term="迁移前的词", synonyms="迁移前的说法, qianyi")
    synonym_type = CT.objects.get(app_label="home", model="searchsynonym")
    log_entry = old_log_entry(apps, synonym_type, synonym, synonym.term, action="wagtail.create")
    assert Permission.objects.filter(content_type=synonym_type, codename="change_searchsynonym").exists()
    type_ids = dict(CT.objects.filter(app_label="home").values_list("model", "pk"))

    migrate(None)

    from django.contrib.auth.models import Permission as CurrentPermission
    from wagtail.models import ModelLogEntry as LogEntry

    from search.models import SearchSynonym as Synonym
    from search.query import analyse_query

    renamed = ContentType.objects.get(app_label="search", model="searchsynonym")
    assert renamed.pk == type_ids["searchsynonym"]  # renamed in place: every reference still holds
    assert not ContentType.objects.filter(app_label="home", model="searchsynonym").exists()
    assert ContentType.objects.get(app_label="home", model="homepage").pk == type_ids["homepage"]  # stays

    moved = Synonym.objects.get(pk=synonym.pk)
    assert moved.variants() == ["迁移前的说法", "qianyi"]
    assert analyse_query("qianyi").synonyms_used == ["迁移前的词"]  # still applied at query time
    assert LogEntry.objects.get(pk=log_entry.pk).content_type.model_class() is Synonym
    assert CurrentPermission.objects.get(codename="change_searchsynonym").content_type.app_label == "search"


def test_the_taxonomy_moves_out_of_courses_with_its_rows_tags_and_content_types(old_taxonomy_apps, client):
    apps = old_taxonomy_apps
    CT = apps.get_model("contenttypes", "ContentType")
    Site = apps.get_model("wagtailcore", "Site")
    Group = apps.get_model("auth", "Group")
    Topic = apps.get_model("courses", "Topic")
    AgeGroup = apps.get_model("courses", "AgeGroup")
    Question = apps.get_model("courses", "Question")
    CoursePage = apps.get_model("courses", "CoursePage")
    QuizPage = apps.get_model("courses", "QuizPage")
    ResourcePage = apps.get_model("library", "ResourcePage")
    assert not CT.objects.filter(app_label="taxonomy").exists()

    home = Site.objects.get(is_default_site=True).root_page
    topic = Topic.objects.create(name="迁移前的主题", slug="moved-topic", sort_order=1)
    other_topic = Topic.objects.create(name="别的主题", slug="other-topic", sort_order=2)
    teens = AgeGroup.objects.create(name="迁移前的年龄段", slug="moved-teens", min_age=12, max_age=15)
    catalogue = add_page(apps, "courses.CourseIndexPage", home, title="迁移前的课程库", slug="moved-courses")
    course = add_page(apps, "courses.CoursePage", catalogue, title="迁移前的课程", slug="moved-course", summary="摘要")
    add_page(apps, "courses.CoursePage", catalogue, step="ZZZY", title="别的课程", slug="other-course", summary="摘要")
    quiz = add_page(apps, "courses.QuizPage", course, title="迁移前的测验", slug="moved-quiz")
    library = add_page(apps, "library.LibraryIndexPage", home, step="ZZZY", title="迁移前的资源库", slug="moved-lib")
    resource = add_page(apps, "library.ResourcePage", library, title="迁移前的资源", slug="moved-res", summary="摘要")
    # Parental many-to-many rows are written on save() otherwise.
    CoursePage.topics.through.objects.create(coursepage_id=course.pk, topic_id=topic.pk)
    CoursePage.age_groups.through.objects.create(coursepage_id=course.pk, agegroup_id=teens.pk)
    QuizPage.topics.through.objects.create(quizpage_id=quiz.pk, topic_id=topic.pk)
    ResourcePage.topics.through.objects.create(resourcepage_id=resource.pk, topic_id=topic.pk)
    ResourcePage.age_groups.through.objects.create(resourcepage_id=resource.pk, agegroup_id=teens.pk)
    question = Question.objects.create(
        text="迁移前的题目",
        kind="true_false",
        options='[{"type": "option", "value": {"text": "对", "correct": true}},'
        ' {"type": "option", "value": {"text": "错", "correct": false}}]',
        explanation="解析",
        topic_id=topic.pk,
    )
    course_type = CT.objects.get(app_label="courses", model="coursepage")
    revision = old_revision(  # a draft that re-tags the course: the tags are stored as ids
        apps,
        course,
        course_type,
        {
            "pk": course.pk,
            "title": course.title,
            "slug": course.slug,
            "summary": "改过的摘要",
            "topics": [topic.pk, other_topic.pk],
            "age_groups": [teens.pk],
        },
    )
    topic_type = CT.objects.get(app_label="courses", model="topic")
    log_entry = old_log_entry(apps, topic_type, topic, topic.name)
    district_staff = Group.objects.get(name="District staff")
    assert district_staff.permissions.filter(content_type=topic_type, codename="change_topic").exists()
    type_ids = dict(CT.objects.filter(app_label="courses").values_list("model", "pk"))

    migrate(None)

    from django.contrib.auth.models import Permission
    from wagtail.models import ModelLogEntry as LogEntry
    from wagtail.models import Page
    from wagtail.models import Revision as PageRevision

    from accounts.roles import Role
    from courses.models import CoursePage as Course
    from courses.models import Question as BankQuestion
    from library.models import ResourcePage as Resource
    from taxonomy.models import AgeGroup as MovedAgeGroup
    from taxonomy.models import Topic as MovedTopic
    from tests.factories.accounts import UserFactory

    for model in ("topic", "agegroup"):
        renamed = ContentType.objects.get(app_label="taxonomy", model=model)
        assert renamed.pk == type_ids[model], model  # renamed in place: every reference still holds
    assert not ContentType.objects.filter(app_label="courses", model__in=["topic", "agegroup"]).exists()
    assert ContentType.objects.get(app_label="courses", model="coursepage").pk == type_ids["coursepage"]  # stays

    assert list(MovedTopic.objects.values_list("name", flat=True)) == ["迁移前的主题", "别的主题"]
    assert MovedAgeGroup.objects.get(pk=teens.pk).max_age == 15
    moved_course = Page.objects.get(pk=course.pk).specific
    assert isinstance(moved_course, Course)
    assert list(moved_course.topics.all()) == [MovedTopic.objects.get(pk=topic.pk)]
    assert list(moved_course.age_groups.values_list("pk", flat=True)) == [teens.pk]
    assert list(Page.objects.get(pk=quiz.pk).specific.topics.values_list("pk", flat=True)) == [topic.pk]
    assert list(Resource.objects.get(pk=resource.pk).topics.values_list("pk", flat=True)) == [topic.pk]
    assert list(Resource.objects.get(pk=resource.pk).age_groups.values_list("pk", flat=True)) == [teens.pk]
    assert BankQuestion.objects.get(pk=question.pk).topic == MovedTopic.objects.get(pk=topic.pk)
    moved_topic = MovedTopic.objects.get(pk=topic.pk)
    assert {moved.pk for moved in moved_topic.courses.all()} == {course.pk}  # reverse accessors too
    assert list(moved_topic.questions.values_list("pk", flat=True)) == [question.pk]

    loaded = PageRevision.objects.get(pk=revision.pk).as_object()
    assert isinstance(loaded, Course)
    assert loaded.summary == "改过的摘要"
    assert [item.name for item in loaded.topics.all()] == ["迁移前的主题", "别的主题"]
    assert [item.name for item in loaded.age_groups.all()] == ["迁移前的年龄段"]
    assert LogEntry.objects.get(pk=log_entry.pk).content_type.model_class() is MovedTopic
    assert Permission.objects.get(codename="change_topic").content_type.app_label == "taxonomy"
    assert UserFactory(role=Role.DISTRICT_STAFF).has_perm("taxonomy.change_topic")

    catalogue_url = Page.objects.get(pk=catalogue.pk).url
    response = client.get(catalogue_url, {"topic": "moved-topic", "age": "moved-teens"})
    assert response.status_code == 200
    assert [listed.title for listed in response.context["courses"]] == ["迁移前的课程"]
    assert "迁移前的年龄段" in response.content.decode()  # the filter's choices and the card's tags
    assert [listed.title for listed in client.get(catalogue_url, {"topic": "other-topic"}).context["courses"]] == []
    response = client.get(Page.objects.get(pk=library.pk).url, {"topic": "moved-topic"})
    assert response.status_code == 200
    assert "迁移前的资源" in response.content.decode()
