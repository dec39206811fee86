"""Load the demo site: home page, a few standard pages, contact settings and (optionally) users.

Idempotent in the bakerydemo manner: everything is looked up before it is created, and
content that already exists (a filled home page, a page with the same slug, hotlines that
are already set) is left as it is, so running the command twice changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.models import Page, Site

from courses.demo import create_demo_courses
from home.demo_workstations import create_demo_workstations
from home.models import HomePage, SiteContactSettings, StandardPage
from home.search.demo import create_demo_synonyms
from library.demo import create_demo_resources
from schools.demo import create_demo_schools_and_cases
from schools.demo_alliance import create_demo_alliance

# Demo contact data: made up on purpose, and looking like it (021-0000-xxxx, *.invalid).
DEMO_HOTLINES = [
    {"name": "青少年服务台", "number": "12355", "description": "心理疏导、法律咨询与权益维护"},
    {"name": "报警电话", "number": "110", "description": "孩子正处于危险之中，请立即报警"},
    {"name": "区未保中心（演示号码）", "number": "021-0000-1234", "description": "工作日 9:00–17:00，演示数据"},
]
DEMO_CONTACT = {
    "organisation": "徐汇区未成年人保护中心（演示）",
    "address": "上海市徐汇区示例路 100 号（演示地址）",
    "email": "contact@huiai.invalid",
    "office_hours": "周一至周五 9:00–17:00（演示数据）",
}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def link(text: str = "", *, page: Page | None = None, url: str = "") -> dict:
    return {"text": text, "page": page.pk if page else None, "url": "" if page else url}


def hotline_callout(heading: str, text: str, link_value: dict | None = None) -> dict:
    return {
        "type": "hotline_callout",
        "value": {
            "heading": heading,
            "text": text,
            "show_site_hotlines": True,
            "link": link_value or {"text": "", "page": None, "url": ""},
        },
    }


def feature_cards(heading: str, intro: str, cards: list[tuple[str, str, str]]) -> dict:
    return {
        "type": "feature_cards",
        "value": {
            "heading": heading,
            "intro": intro,
            "cards": [{"figure": figure, "title": title, "text": text} for figure, title, text in cards],
        },
    }


SYSTEM_CARDS = [
    ("1", "区未成年人保护中心", "统筹全区未成年人保护工作，接收强制报告，组织个案会商，指导街镇工作站。"),
    ("13", "街镇未保工作站", "12 个街道和 1 个镇各设一个工作站，街镇和居委配强儿童督导员和儿童主任。"),
    ("n", "未保工作项目", "孵化面向家庭、学校和社区的服务项目，链接社会组织的专业力量。"),
]
CIRCLE_CARDS = [
    ("家", "家庭圈", "依托社区家庭教育指导服务站点和家庭教育课程资源库，为家庭提供多元化的教育指导。"),
    ("校", "学校圈", "建立预防和处置校园欺凌工作制度，成立徐汇普法教育联盟，共建共治共享。"),
    ("社", "社会圈", "未保社区阵地与党群、文化和邻里汇设施一体运营，孵化儿童服务类社会组织。"),
]


class Command(BaseCommand):
    help = "Create the demo home page, standard pages and contact settings (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="Also create one demo user per role (accounts.demo) and print their credentials.",
        )
        parser.add_argument("--skip-index", action="store_true", help="Do not run update_index at the end.")

    def handle(self, *args, **options):
        with transaction.atomic():
            home = self.ensure_home_page()
            pages = self.ensure_standard_pages(home)
            self.fill_home_page(home, pages)
            self.ensure_contact_settings(home, pages["privacy"])
            create_demo_workstations(home)
            create_demo_synonyms()
            create_demo_resources(self.stdout)
            # The legal-education alliance at /alliance/ (replaces the placeholder page of earlier versions).
            create_demo_alliance(home, self.stdout)
        demo_users = self.create_demo_users() if options["with_demo_users"] else []
        # After the demo users, so that the demo parent gets an enrolment and an assignment.
        create_demo_courses(stdout=self.stdout)
        # After the demo users, so that the demo officer (if any) becomes the first school's officer.
        schools = create_demo_schools_and_cases()
        self.stdout.write(
            f"Schools demo: {schools['street_towns']} streets/towns, {schools['schools']} schools, "
            f"{schools['cases_created']} new demo cases."
        )
        if not options["skip_index"]:
            call_command("update_index", verbosity=0, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        if demo_users:
            self.print_demo_users(demo_users)

    # --- pages -------------------------------------------------------------------------
    def ensure_home_page(self) -> HomePage:
        home = HomePage.objects.first()
        root = Page.get_first_root_node()
        if home is None:
            # Wagtail's "Welcome" page is a plain Page at the root: it makes way for ours.
            welcome = root.get_children().filter(content_type__app_label="wagtailcore", content_type__model="page")
            for page in welcome.filter(slug="home"):
                page.delete()
            root.refresh_from_db()
            home = root.add_child(instance=HomePage(title="汇爱", slug="home"))
            self.stdout.write("Created the home page.")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, site_name="汇爱 Huiai", root_page=home, is_default_site=True
            )
            self.stdout.write("Created the default site.")
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
            self.stdout.write("Made the home page the default site's root.")
        return home

    def ensure_page(self, parent: Page, slug: str, **fields: Any) -> StandardPage:
        existing = StandardPage.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        body = fields.pop("body", [])
        page = StandardPage(slug=slug, body=json.dumps(body, ensure_ascii=False), **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Created page “{page.title}”.")
        return page

    def ensure_standard_pages(self, home: HomePage) -> dict[str, StandardPage]:
        about = self.ensure_page(
            home,
            "about",
            title="关于汇爱",
            show_in_menus=True,
            intro="“汇爱”取自徐汇区打造未成年人健康成长“汇爱之城”的目标：坚持儿童利益优先，把家庭、学校和社会的关爱汇聚在一起。",
            body=[
                paragraph(
                    "<p>徐汇区户籍人口约 91.69 万，其中未成年人 13.2 万。区里把未成年人保护作为重点民生工程，"
                    "纳入“十四五”规划和重大民生实事项目，在组织、资金和队伍上持续投入。</p>"
                    "<p>汇爱平台是这项工作在网上的窗口：家长可以学习家庭教育课程，老师可以发布课程和普法内容，"
                    "学校可以报告和处置校园欺凌事件，区未保中心可以及时接收报告、组织会商。</p>"
                ),
                feature_cards("三圈一体", "围绕未成年人成长的三个环境，构建协同育人的关爱保护共同体。", CIRCLE_CARDS),
            ],
        )
        system = self.ensure_page(
            about,
            "1-13-n-system",
            title="徐汇未成年人保护“1+13+n”工作体系",
            intro="1 个区级未保中心、13 个街镇未保工作站、n 个未保工作项目，区和街镇两级协调机制全方位联动。",
            body=[
                feature_cards("体系构成", "", SYSTEM_CARDS),
                paragraph(
                    "<h2>协调机制</h2>"
                    "<p>区级层面建立由民政、法院、共青团、教育、检察等 21 个部门和 13 个街镇组成的未成年人保护协调机制"
                    "；街镇层面同步建立由主要负责人担纲的协调机制，及时研究解决辖区内出现的重大问题。</p>"
                    "<h2>工作制度</h2>"
                    "<ul><li><b>发现报告：</b>强制报告、从业查询、信息通报。</li>"
                    "<li><b>应急处置：</b>个案会商、纠纷化解、权益保护。</li>"
                    "<li><b>困境未成年人：</b>风险评估、精准干预、监护支持。</li></ul>"
                    "<h2>13 个街镇未保工作站</h2>"
                    "<p>天平路街道、湖南路街道、斜土路街道、枫林路街道、长桥街道、田林街道、虹梅路街道、"
                    "康健新村街道、徐家汇街道、凌云路街道、龙华街道、漕河泾街道和华泾镇。</p>"
                ),
            ],
        )
        reporting = self.ensure_page(
            home,
            "mandatory-reporting",
            title="强制报告制度",
            show_in_menus=True,
            intro="学校、医院、社区等单位和工作人员在工作中发现未成年人遭受或疑似遭受侵害的，应当立即报告。",
            body=[
                paragraph(
                    "<h2>谁需要报告</h2>"
                    "<p>密切接触未成年人的单位及其工作人员，包括学校和幼儿园的老师、医务人员、社区工作者、"
                    "儿童督导员和儿童主任等。</p>"
                    "<h2>什么情况需要报告</h2>"
                    "<ul><li>未成年人身体有不明原因的严重伤害；</li>"
                    "<li>遭受或疑似遭受性侵害、虐待、遗弃或严重校园欺凌；</li>"
                    "<li>处于无人照料等危险状态；</li>"
                    "<li>其他严重侵害未成年人身心健康的情形。</li></ul>"
                    "<h2>报告之后</h2>"
                    "<p>区未保中心在一个工作日内确认收到，必要时组织公安、教育、民政等部门进行个案会商，"
                    "制定保护和帮扶方案。报告人的信息依法保密。</p>"
                ),
                hotline_callout(
                    "情况紧急？",
                    "如果孩子正处于危险之中，请先拨打 110 报警，再向学校或区未保中心报告。",
                ),
            ],
        )
        guidance = self.ensure_page(
            home,
            "family-education-guidance",
            title="家庭教育指导",
            show_in_menus=True,
            intro="社区家庭教育指导服务站点、家庭教育课程资源库和涉诉未成年人家庭教育指导，为每个家庭提供支持。",
            body=[
                paragraph(
                    "<p>家庭是孩子的第一所学校。徐汇区依托社区家庭教育指导服务站点，链接社区资源，"
                    "建立家庭教育课程资源库，家长可以按孩子的年龄和关心的主题选择课程，边学边练。</p>"
                    "<h2>涉诉未成年人家庭教育指导</h2>"
                    "<p>对于涉及司法案件的未成年人，法院可以责令其父母接受家庭教育指导。"
                    "平台会把指定的课程分配给家长，并提醒完成期限。</p>"
                ),
            ],
        )
        privacy = self.ensure_page(
            home,
            "privacy",
            title="隐私与个人信息保护说明",
            intro="未成年人的个人信息属于敏感个人信息。我们只收集必要的信息，只让确有需要的人看到，并记录每一次访问。",
            body=[
                paragraph(
                    "<h2>我们收集哪些信息</h2>"
                    "<ul><li>注册账号所需的手机号码或电子邮箱；</li>"
                    "<li>学习课程的进度和测验成绩；</li>"
                    "<li>报告欺凌事件时填写的必要信息。匿名报告无需登录。</li></ul>"
                    "<h2>谁能看到</h2>"
                    "<p>欺凌事件报告只对本校负责人和区未保中心的经办人员可见，他们登录时必须使用双重验证。"
                    "每一次查看和修改都会被记录。</p>"
                    "<h2>您的权利</h2>"
                    "<p>您可以查询、更正和删除自己的个人信息，或联系我们注销账号。</p>"
                ),
            ],
        )
        return {
            "about": about,
            "system": system,
            "reporting": reporting,
            "guidance": guidance,
            "privacy": privacy,
        }

    def fill_home_page(self, home: HomePage, pages: dict[str, StandardPage]) -> None:
        if home.body:
            return
        body = [
            {
                "type": "hero",
                "value": {
                    "eyebrow": "徐汇区未成年人保护 · 汇爱之城",
                    "title": "守护每一个孩子健康成长",
                    "intro": "汇爱是徐汇区的家庭教育与校园防欺凌服务平台：家长在这里学习家庭教育课程，"
                    "学校在这里开展防欺凌和普法教育，发现孩子受到伤害，可以在这里及时报告。",
                    "actions": [
                        link("浏览家庭教育课程", url="/courses/"),
                        link("了解“1+13+n”体系", page=pages["system"]),
                    ],
                },
            },
            feature_cards(
                "“1+13+n”未成年人保护工作体系",
                "徐汇区现有未成年人 13.2 万人。区里设立 1 个区级未保中心、13 个街镇未保工作站，孵化 n 个未保工作项目，"
                "由 21 个部门和 13 个街镇组成的协调机制全方位联动。",
                SYSTEM_CARDS,
            ),
            {
                "type": "link_cards",
                "value": {
                    "heading": "从这里开始",
                    "cards": [
                        {
                            "title": "家庭教育课程",
                            "description": "按孩子年龄和主题选课，学习进度自动保存，完成测验获得证书。",
                            "link": link("去选课", url="/courses/"),
                        },
                        {
                            "title": "资源库",
                            "description": "文章、视频、音频和文档，帮助家长和老师了解未成年人保护。",
                            "link": link("浏览资源", url="/library/"),
                        },
                        {
                            "title": "普法教育联盟",
                            "description": "政法、教育、检察等部门共建共治共享的法治教育共同体。",
                            "link": link("了解联盟", url="/alliance/"),
                        },
                        {
                            "title": "欺凌事件报告",
                            "description": "学校填报欺凌事件；学生、家长和目击者也可以匿名报告。",
                            "link": link("我要报告", url="/schools/report/"),
                        },
                    ],
                },
            },
            feature_cards("家庭、学校、社会 · 三圈一体", "围绕孩子成长的三个环境，汇聚关爱保护的力量。", CIRCLE_CARDS),
            hotline_callout(
                "孩子遇到危险或伤害？",
                "如果孩子正处于危险之中，请立即拨打 110 报警。遇到校园欺凌、家庭教育困惑或心理困扰，"
                "可以拨打青少年服务台 12355，或联系区未保中心。",
                link("了解强制报告制度", page=pages["reporting"]),
            ),
            paragraph(
                "<h2>发现、报告、会商、帮扶</h2>"
                "<p>侵害未成年人的情况一经发现，相关单位必须依法强制报告。区未保中心接到报告后组织个案会商，"
                "协调公安、法院、检察、教育、民政等部门，对困境未成年人进行风险评估和精准干预，"
                "提供监护指导、心理疏导和社会融入等专业服务。</p>"
            ),
        ]
        home.title = "汇爱"
        home.draft_title = "汇爱"
        home.seo_title = "汇爱 · 徐汇区家庭教育与未成年人保护平台"
        home.body = json.dumps(body, ensure_ascii=False)
        home.save_revision().publish()
        self.stdout.write("Filled the home page.")

    # --- settings ----------------------------------------------------------------------
    def ensure_contact_settings(self, home: HomePage, privacy: StandardPage) -> None:
        site = Site.objects.get(root_page=home, is_default_site=True)
        contact = SiteContactSettings.for_site(site)
        changed = False
        if not contact.hotlines:
            contact.hotlines = json.dumps([{"type": "hotline", "value": item} for item in DEMO_HOTLINES])
            changed = True
        for field, value in DEMO_CONTACT.items():
            if not getattr(contact, field):
                setattr(contact, field, value)
                changed = True
        if contact.privacy_page_id is None:
            contact.privacy_page = privacy
            changed = True
        if changed:
            contact.save()
            self.stdout.write("Filled the contact and hotline settings.")

    # --- users -------------------------------------------------------------------------
    def create_demo_users(self) -> list[dict]:
        from accounts.demo import create_demo_users

        return list(create_demo_users() or [])

    def print_demo_users(self, users: list[dict]) -> None:
        """Printed last, so that `make run` ends with the credentials on screen."""
        columns = ["role", "phone", "email", "password", "totp_secret"]
        rows = [[str(user.get(column) or "") for column in columns] for user in users if isinstance(user, dict)]
        widths = [max([len(column)] + [len(row[index]) for row in rows]) for index, column in enumerate(columns)]
        self.stdout.write("\nDemo users (for local use only; sign in at /accounts/login/):")
        self.stdout.write("  ".join(column.ljust(widths[index]) for index, column in enumerate(columns)).rstrip())
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write("  ".join(value.ljust(widths[index]) for index, value in enumerate(row)).rstrip())
