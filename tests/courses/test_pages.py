"""Course library page types: where they go, what they hold, and that they render."""

from __future__ import annotations

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from accounts.models import User
from accounts.roles import Role
from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizPage
from tests.factories.accounts import FullSignInClient, UserFactory, sign_in_fully
from tests.factories.courses import (
    AgeGroupFactory,
    LessonPageFactory,
    TopicFactory,
    catalogue,
    course_with_lessons,
    media_body,
)
from tests.factories.home import home_page


class CourseIndexPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = catalogue()

    def test_catalogue_declares_the_home_page_as_its_only_parent(self):
        self.assertEqual(CourseIndexPage.parent_page_types, ["home.HomePage"])

    def test_catalogue_allows_only_courses_below_it(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_only_one_catalogue_can_exist(self):
        self.assertFalse(CourseIndexPage.can_create_at(home_page()))

    def test_empty_catalogue_is_routable_and_renderable(self):
        self.assertPageIsRoutable(self.catalogue)
        self.assertPageIsRenderable(self.catalogue)


class CoursePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = course_with_lessons(2, learning_objectives="学会倾听\n\n学会表达 ")

    def test_course_lives_only_under_the_catalogue(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})

    def test_course_allows_only_lessons_and_quizzes_below_it(self):
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage})

    def test_quiz_lives_only_under_a_course_and_has_no_children(self):
        self.assertAllowedParentPageTypes(QuizPage, {CoursePage})
        self.assertAllowedSubpageTypes(QuizPage, set())

    def test_lesson_lives_only_under_a_course_and_has_no_children(self):
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_learning_objectives_are_one_per_line_without_blanks(self):
        self.assertEqual(self.course.objectives, ["学会倾听", "学会表达"])

    def test_course_page_is_routable_and_renderable(self):
        self.assertPageIsRoutable(self.course)
        self.assertPageIsRenderable(self.course)

    def test_lessons_come_in_page_tree_order(self):
        lessons = list(self.course.lessons())
        last = LessonPageFactory(parent=self.course, title="最后一课")
        lessons[0].move(self.course, pos="last-child")
        titles = [lesson.title for lesson in self.course.lessons()]
        self.assertEqual(titles, [lessons[1].title, last.title, lessons[0].title])

    def test_unpublished_lessons_are_not_listed(self):
        LessonPageFactory(parent=self.course, live=False)
        self.assertEqual(self.course.lessons().count(), 2)

    def test_superuser_can_create_a_course_with_topics_and_age_groups_in_the_admin(self):
        topic, age_group = TopicFactory(), AgeGroupFactory()
        teacher = UserFactory(role=Role.TEACHER)
        admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")
        sign_in_fully(self.client, admin)
        data = nested_form_data(
            {
                "title": "亲子沟通入门",
                "slug": "communication",
                "summary": "学会倾听孩子。",
                "learning_objectives": "倾听\n表达",
                "estimated_minutes": 40,
                "teacher": teacher.pk,
                "organisation": "徐汇区未保中心",
                "enrolment_code": "",
                "capacity": "",
            }
        )
        data.update(topics=[topic.pk], age_groups=[age_group.pk])
        self.assertCanCreate(catalogue(), CoursePage, data)
        created = CoursePage.objects.get(slug="communication")
        self.assertEqual(list(created.topics.all()), [topic])
        self.assertEqual(created.teacher, teacher)

    def test_superuser_can_create_a_lesson_with_a_stream_body_in_the_admin(self):
        admin = User.objects.create_superuser(username="admin", email="admin@example.invalid", password="pw-123456")
        sign_in_fully(self.client, admin)
        data = nested_form_data(
            {
                "title": "倾听的三个步骤",
                "slug": "listening",
                "intro": "",
                "minimum_reading_seconds": 90,
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>先放下手机。</p>")),
                        ("callout", {"tone": "tip", "heading": "小提示", "text": "蹲下来和孩子平视。"}),
                        ("quote", {"text": "倾听是爱的开始。", "source": ""}),
                    ]
                ),
            }
        )
        self.assertCanCreate(self.course, LessonPage, data)
        self.assertEqual(LessonPage.objects.get(slug="listening").minimum_reading_seconds, 90)


class LessonPageTests(WagtailPageTestCase):
    client_class = FullSignInClient  # assertPageIsPreviewable signs a superuser in itself

    @classmethod
    def setUpTestData(cls):
        cls.course = course_with_lessons(1)
        cls.text_lesson = cls.course.lessons().get()
        cls.media_lesson = LessonPageFactory(parent=cls.course, body=media_body(duration=240))
        cls.parent = UserFactory(role=Role.PARENT)
        services.enrol(cls.parent, cls.course)

    def test_saving_a_lesson_records_its_players_running_time(self):
        self.assertEqual(self.media_lesson.media_duration_seconds, 240)
        self.assertTrue(self.media_lesson.is_media)

    def test_a_text_lesson_has_no_running_time(self):
        self.assertEqual(self.text_lesson.media_duration_seconds, 0)
        self.assertFalse(self.text_lesson.is_media)

    def test_enrolled_parent_reads_a_text_lesson_with_a_mark_done_button(self):
        sign_in_fully(self.client, self.parent)
        response = self.client.get(self.text_lesson.url)
        self.assertContains(response, self.text_lesson.url + "complete/")
        self.assertTemplateUsed(response, "courses/lesson_page.html")

    def test_enrolled_parent_gets_a_player_that_reports_progress_and_resumes(self):
        sign_in_fully(self.client, self.parent)
        response = self.client.get(self.media_lesson.url)
        self.assertContains(response, f'data-progress-url="{self.media_lesson.url}progress/"')
        self.assertContains(response, 'data-resume="0"')
        self.assertContains(response, "js/courses/lesson-progress.js")

    def test_a_parent_who_is_not_enrolled_is_sent_to_the_course_page(self):
        sign_in_fully(self.client, UserFactory(role=Role.PARENT))
        response = self.client.get(self.text_lesson.url)
        self.assertRedirects(response, self.course.url)

    def test_an_anonymous_visitor_is_asked_to_sign_in(self):
        response = self.client.get(self.text_lesson.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_a_teacher_may_read_lessons_without_enrolling(self):
        sign_in_fully(self.client, UserFactory(role=Role.TEACHER))
        self.assertEqual(self.client.get(self.text_lesson.url).status_code, 200)

    def test_lesson_preview_renders_for_an_editor(self):
        data = nested_form_data(
            {
                "title": self.text_lesson.title,
                "slug": self.text_lesson.slug,
                "intro": "",
                "minimum_reading_seconds": 60,
                "body": streamfield([("paragraph", rich_text("<p>预览正文</p>"))]),
            }
        )
        self.assertPageIsPreviewable(self.text_lesson, post_data=data)
