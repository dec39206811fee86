# ruff: noqa: E501 - demo text is long Chinese prose
"""Demo legal-education alliance: the alliance page, its member bodies, news, events and resources.

``create_demo_alliance()`` is idempotent (bakerydemo style): members are looked up by name,
logos and documents by title, pages by slug, and demo registrations are only added to an event
that has none. An old placeholder ``StandardPage`` at ``/alliance/`` (what earlier versions of
``load_demo_content`` made) is deleted so that the alliance page can take its address.

Logos are coloured monograms drawn with Pillow and the documents are small PDFs (or text files
when the Chinese font is missing), so the demo ships no media files. Events are dated from the
day the demo is loaded, so they are upcoming. Demo registrations use made-up ``+86139000…``
numbers and send nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import TextIO

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from home.models import HomePage, StandardPage

from .models import (
    AllianceEventPage,
    AllianceIndexPage,
    AllianceMember,
    AllianceNewsPage,
    EventKind,
    EventRegistration,
    GradeBand,
    MemberCategory,
    TeachingResourceDocument,
    TeachingResourceKind,
    TeachingResourcePage,
)

C = MemberCategory
COLOURS = {
    C.COURT: "#8c2f39",
    C.PROCURATORATE: "#1d4e89",
    C.PUBLIC_SECURITY: "#14213d",
    C.EDUCATION: "#1d5a5f",
    C.CIVIL_AFFAIRS: "#6a4c93",
    C.YOUTH_LEAGUE: "#b0402a",
    C.SCHOOL: "#2d6a4f",
    C.SOCIAL_ORGANISATION: "#7a5c00",
}

# (name, category, monogram, description)
MEMBERS = [
    (
        "徐汇区人民法院",
        C.COURT,
        "法",
        "设立少年法庭，开展“法官进校园”和模拟法庭活动，对涉诉未成年人的家庭开展家庭教育指导。",
    ),
    (
        "徐汇区人民检察院",
        C.PROCURATORATE,
        "检",
        "未成年人检察部门办理涉未成年人案件，落实强制报告和入职查询制度，检察官担任法治副校长。",
    ),
    (
        "上海市公安局徐汇分局",
        C.PUBLIC_SECURITY,
        "警",
        "开展校园周边治安整治和“护校安园”工作，社区民警为学生讲解防范欺凌、诈骗和网络安全。",
    ),
    (
        "徐汇区教育局",
        C.EDUCATION,
        "教",
        "统筹全区中小学法治教育和防欺凌工作，组织法治副校长聘任，把普法课程纳入学校教学计划。",
    ),
    (
        "徐汇区民政局",
        C.CIVIL_AFFAIRS,
        "民",
        "指导区未成年人保护中心和 13 个街镇未保工作站，为困境未成年人和家庭链接救助与服务。",
    ),
    ("共青团徐汇区委", C.YOUTH_LEAGUE, "团", "运营 12355 青少年服务台，组织青少年普法志愿服务和“青春自护”系列活动。"),
    ("汇爱示例实验小学", C.SCHOOL, "小", "联盟成员学校（演示）：开设“小小法官”社团，每学期举办一次家长法治课堂。"),
    ("汇爱示例初级中学", C.SCHOOL, "初", "联盟成员学校（演示）：防欺凌工作示范校，学生法治宣讲团走进社区开展宣讲。"),
    (
        "汇爱示例高级中学",
        C.SCHOOL,
        "高",
        "联盟成员学校（演示）：与区法院共建模拟法庭实践基地，开设青少年权益保护选修课。",
    ),
    (
        "徐汇区青少年法律服务社（演示）",
        C.SOCIAL_ORGANISATION,
        "社",
        "专业社会组织（演示）：为学校和家庭提供法律咨询、心理疏导和涉案未成年人社会观护服务。",
    ),
]

INTRO = (
    "法院、检察院、公安、教育、民政、共青团、学校和社会组织共建、共治、共享的法治教育共同体，把法治教育送进校园和家庭。"
)
CONTACT = "学校预约普法讲座或模拟法庭，请联系区未保中心（演示号码 021-0000-1234，工作日 9:00–17:00）。"


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def callout(heading: str, text: str, tone: str = "key") -> dict:
    return {"type": "callout", "value": {"tone": tone, "heading": heading, "text": text}}


ABOUT = [
    paragraph(
        "<p>徐汇普法教育联盟是区未成年人保护“学校圈”的一项重点工作。联盟成员单位分工协作，"
        "推进反校园欺凌工作，建立预防和处置校园欺凌工作制度。</p>"
        "<h2>联盟做什么</h2><ul>"
        "<li><b>普法讲座</b>：法官、检察官、民警走进学校和社区，为学生和家长讲解身边的法律。</li>"
        "<li><b>模拟法庭和开放日</b>：学生在真实的法庭和检察院里体验司法程序，理解规则和责任。</li>"
        "<li><b>教学资源</b>：为老师提供法治教育教案、课件和学习单，各校可以免费使用。</li>"
        "<li><b>家庭法治教育</b>：为家长提供家庭中的法治教育指导，涉诉家庭可获得家庭教育指导。</li></ul>"
    ),
]

NEWS = [
    {
        "slug": "anti-bullying-lecture-junior-school",
        "title": "联盟走进汇爱示例初级中学开展反欺凌主题普法讲座",
        "days_ago": 6,
        "summary": "区法院少年法庭法官结合真实案例，和七年级 300 多名学生一起讨论：开玩笑和欺凌的界线在哪里？",
        "body": [
            paragraph(
                "<p>本周一下午，徐汇普法教育联盟“法官进校园”活动来到汇爱示例初级中学。区人民法院少年法庭的法官以"
                "“玩笑还是欺凌”为题，为七年级学生带来一堂互动普法课。</p>"
                "<p>法官用三个改编自真实案例的小故事，引导学生讨论：起绰号、孤立同学、在群里转发别人的照片，"
                "分别会给对方带来什么伤害，又可能承担什么责任。学生们分组发言，最后总结出“三个不”："
                "不参与、不围观、不沉默。</p>"
            ),
            callout("看到欺凌怎么办", "告诉老师或家长；情况紧急时拨打 110；也可以在本平台匿名报告，无需留下姓名。"),
        ],
    },
    {
        "slug": "procuratorate-typical-cases",
        "title": "区人民检察院发布未成年人保护典型案例",
        "days_ago": 15,
        "summary": "五个典型案例涉及强制报告、网络欺凌和监护缺失，检察官逐一解读家长和学校可以做些什么。",
        "body": [
            paragraph(
                "<p>徐汇区人民检察院近日发布五个未成年人保护典型案例（演示内容），涉及强制报告、校园欺凌、"
                "网络欺凌、监护缺失和从业禁止等方面。</p>"
                "<h2>给家长的提醒</h2><ul>"
                "<li>孩子在网上被辱骂、被曝光隐私，要及时截图保存证据，并向平台和学校反映。</li>"
                "<li>发现孩子身上有不明伤痕、情绪突然变化，要耐心询问，必要时向学校或区未保中心求助。</li></ul>"
                "<p>检察官提醒：密切接触未成年人的单位和工作人员发现侵害线索，必须依法立即报告。</p>"
            ),
        ],
    },
    {
        "slug": "legal-vice-principals-appointed",
        "title": "新学期法治副校长聘任仪式举行",
        "days_ago": 28,
        "summary": "来自法院、检察院和公安分局的 20 名干警受聘担任全区中小学法治副校长，任期三年。",
        "body": [
            paragraph(
                "<p>区教育局会同区人民法院、区人民检察院和公安徐汇分局举行新学期法治副校长聘任仪式（演示内容）。"
                "受聘的法治副校长将每学期至少到校开展一次法治教育，参与学校防欺凌工作，"
                "协助学校处理涉法涉诉问题。</p>"
                "<p>区教育局表示，联盟将把法治副校长的课程和课件汇总到“教学资源”栏目，供全区学校共享。</p>"
            ),
        ],
    },
]

# (slug, title, kind, start in days from today, start hour, hours, place, audience, capacity, registrations, organisers, summary, description)
EVENTS = [
    {
        "slug": "lecture-bullying-and-the-law",
        "title": "校园欺凌的法律边界——写给初中家长的普法讲座",
        "kind": EventKind.LECTURE,
        "in_days": 9,
        "hour": 14,
        "hours": 2,
        "place": "徐汇区未成年人保护中心二楼报告厅（演示地址：示例路 100 号）",
        "audience": "初中学生家长",
        "capacity": 30,
        "registrations": 29,
        "organisers": ["徐汇区人民法院", "徐汇区教育局"],
        "summary": "孩子被欺负了怎么办？孩子欺负了别人又该怎么办？少年法庭法官用案例讲清家长需要知道的法律。",
        "description": [
            paragraph(
                "<h3>讲座内容</h3><ul>"
                "<li>什么是学生欺凌：《未成年人保护法》和教育部规定中的认定标准；</li>"
                "<li>家长发现孩子被欺凌后的五个步骤：倾听、保存证据、联系学校、必要时就医报警、持续关注；</li>"
                "<li>如果孩子是欺凌的一方：家长的监护责任和家庭教育指导；</li>"
                "<li>现场答疑。</li></ul>"
                "<p>讲座约 90 分钟，之后留 30 分钟答疑。请提前 10 分钟到场签到。</p>"
            ),
        ],
    },
    {
        "slug": "mock-trial-cyberbullying",
        "title": "走进模拟法庭：一起网络欺凌案的审理",
        "kind": EventKind.MOCK_TRIAL,
        "in_days": 16,
        "hour": 9,
        "hours": 3,
        "place": "徐汇区人民法院少年法庭（演示地址）",
        "audience": "初二至高一学生及家长（学生须由家长陪同）",
        "capacity": 60,
        "registrations": 12,
        "organisers": ["徐汇区人民法院", "徐汇区人民检察院", "汇爱示例高级中学"],
        "summary": "学生扮演法官、检察官和辩护人，在真实的法庭里审理一起改编的网络欺凌案件，理解证据和责任。",
        "description": [
            paragraph(
                "<p>本次模拟法庭以一起改编的网络欺凌案件为蓝本：一名学生的照片被同学配上侮辱性文字在班级群里传播。"
                "汇爱示例高级中学的学生将扮演审判长、公诉人和辩护人，其余同学和家长作为旁听人员参与讨论。</p>"
                "<p>庭审结束后，法官和检察官会点评，并解答“转发也要担责吗”“截图能不能作为证据”等问题。</p>"
            ),
            callout("入场须知", "请携带报名时的手机号码签到；法庭内请将手机调至静音，不得拍摄庭审画面。", "warning"),
        ],
    },
    {
        "slug": "procuratorate-open-day",
        "title": "检察开放日：走近未成年人检察工作",
        "kind": EventKind.OPEN_DAY,
        "in_days": 23,
        "hour": 13,
        "hours": 3,
        "place": "徐汇区人民检察院（演示地址）",
        "audience": "小学高年级学生家庭（亲子报名，每个家庭报一个名额）",
        "capacity": 40,
        "registrations": 5,
        "organisers": ["徐汇区人民检察院", "共青团徐汇区委"],
        "summary": "参观检察院的未成年人检察工作室和“一站式”询问室，听检察官讲讲他们怎样保护孩子。",
        "description": [
            paragraph(
                "<p>开放日安排：参观未成年人检察工作室和“一站式”询问救助场所；检察官讲解强制报告制度；"
                "亲子法治游戏“我是小检察官”。</p>"
                "<p>每个名额可由一名家长带一名孩子参加。</p>"
            ),
        ],
    },
]

RESOURCES = [
    {
        "slug": "lesson-plan-saying-no-to-bullying",
        "title": "教案：对欺凌说“不”（小学高年级）",
        "kind": TeachingResourceKind.LESSON_PLAN,
        "grade": GradeBand.PRIMARY_UPPER,
        "provided_by": "徐汇区教育局",
        "summary": "一课时（40 分钟）的班会教案：认识欺凌的四种形式，练习拒绝和求助的说法。",
        "file": (
            "对欺凌说不-教案",
            [
                "教学目标：能说出欺凌的四种形式（肢体、言语、关系、网络）；会用“停下来，我不喜欢”拒绝；知道向谁求助。",
                "导入（5 分钟）：观看情景图片，说说图中的同学心情怎样。",
                "新授（15 分钟）：分组讨论四个情景，判断是不是欺凌，为什么。",
                "练习（15 分钟）：角色扮演，练习拒绝、离开、告诉老师三个步骤。",
                "小结（5 分钟）：全班一起读“不参与、不围观、不沉默”。",
            ],
        ),
        "notes": "<p>建议班主任与学校心理老师共同授课。讨论中不要点名班上的真实事件；如有学生课后单独求助，请按学校防欺凌工作制度处理。</p>",
    },
    {
        "slug": "slides-minors-protection-law",
        "title": "课件：《未成年人保护法》中的六大保护（初中）",
        "kind": TeachingResourceKind.SLIDES,
        "grade": GradeBand.JUNIOR,
        "provided_by": "徐汇区人民检察院",
        "summary": "检察官法治副校长使用的讲课提纲：家庭、学校、社会、网络、政府和司法六大保护，配案例。",
        "file": (
            "六大保护-课件提纲",
            [
                "第 1 页：为什么要有《未成年人保护法》。",
                "第 2–3 页：家庭保护——监护人的职责；案例：家长长期不管孩子怎么办。",
                "第 4–5 页：学校保护——学校的防欺凌制度；案例：被欺凌后学校应当做什么。",
                "第 6 页：社会保护与网络保护——防沉迷、个人信息保护。",
                "第 7 页：政府保护与司法保护——强制报告、未成年人检察。",
                "第 8 页：遇到困难找谁——110、12355、学校、区未保中心。",
            ],
        ),
        "notes": "<p>提纲可直接用于制作幻灯片，案例为改编的演示内容。讲课时长约 45 分钟。</p>",
    },
    {
        "slug": "video-guide-mock-trial",
        "title": "视频：模拟法庭怎么开（高中社团指导）",
        "kind": TeachingResourceKind.VIDEO,
        "grade": GradeBand.SENIOR,
        "provided_by": "徐汇区人民法院",
        "summary": "少年法庭法官讲解模拟法庭的角色分工、庭审流程和剧本编写要点，附流程单。",
        "file": (
            "模拟法庭流程单",
            [
                "角色：审判长、审判员、书记员、公诉人、辩护人、被告人（化名）、证人、法警。",
                "流程：开庭准备 → 法庭调查 → 举证质证 → 法庭辩论 → 最后陈述 → 评议宣判。",
                "剧本编写要点：案例须改编，不使用真实姓名；突出证据和责任；留出点评时间。",
            ],
        ),
        "notes": "<p>演示内容：视频文件没有随演示数据提供，请使用附带的流程单备课。</p>",
    },
    {
        "slug": "worksheet-online-safety",
        "title": "学习单：网络上的我和你（全学段家庭版）",
        "kind": TeachingResourceKind.WORKSHEET,
        "grade": GradeBand.ALL,
        "provided_by": "徐汇区青少年法律服务社（演示）",
        "summary": "亲子共同完成的学习单：个人信息哪些不能发、遇到网络欺凌怎么留证据、求助电话写在哪里。",
        "file": (
            "网络上的我和你-学习单",
            [
                "1. 圈出不能在网上公开的信息：姓名、学校、家庭住址、照片、兴趣爱好、手机号码。",
                "2. 如果有人在群里骂你，你会怎么做？写下三个步骤。",
                "3. 和爸爸妈妈一起写下求助电话：110、12355、班主任电话。",
                "4. 家庭约定：我们家的上网时间和规则。",
            ],
        ),
        "notes": "<p>适合作为家长学校或班会的课后作业，学生和家长一起完成后交回班主任。</p>",
    },
]

DEMO_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
DEMO_SCHOOLS = ["汇爱示例初级中学", "汇爱示例实验小学", "汇爱示例高级中学", ""]


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


# --- media ---------------------------------------------------------------------------------


def _file_key(title: str) -> str:
    return hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]  # noqa: S324 - a file name, not security


def _font_path() -> str:
    from core.fonts import chinese_font_path

    return str(chinese_font_path() or "")


def logo_png(monogram: str, colour: str) -> bytes:
    """A 240×240 monogram: a white character on the category's colour (a ring when no font)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 220, 220), outline="white", width=6)
    try:
        font = ImageFont.truetype(_font_path(), 120)
    except OSError:
        font = None
    if font is not None:
        draw.text((120, 122), monogram, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_logo(title: str, monogram: str, colour: str):
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = image_model(title=title)
    image.file = ImageFile(io.BytesIO(logo_png(monogram, colour)), name=f"alliance-logo-{_file_key(title)}.png")
    image.save()
    return image


def document_bytes(title: str, lines: list[str]) -> tuple[bytes, str]:
    """A one-page PDF with the Chinese font, or a UTF-8 text file when the font is missing."""
    try:
        from courses.certificates import register_font

        font = register_font()
    except (ImproperlyConfigured, OSError):
        return ("\n\n".join([title, *lines]) + "\n").encode("utf-8"), "txt"
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    width, height = A4
    pdf.setFont(font, 18)
    pdf.drawString(60, height - 80, title)
    pdf.setFont(font, 11)
    y = height - 120
    for line in lines:
        for start in range(0, len(line), 42):
            pdf.drawString(60, y, line[start : start + 42])
            y -= 20
        y -= 8
    pdf.setFont(font, 9)
    pdf.drawString(60, 50, "徐汇普法教育联盟 · 演示资料")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue(), "pdf"


def ensure_document(title: str, lines: list[str]):
    document_model = get_document_model()
    existing = document_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    content, extension = document_bytes(title, lines)
    document = document_model(title=title, file_size=len(content))
    document.file.save(f"alliance-{_file_key(title)}.{extension}", ContentFile(content), save=False)
    document.save()
    return document


# --- content -------------------------------------------------------------------------------


def ensure_members() -> dict[str, AllianceMember]:
    members = {}
    for order, (name, category, monogram, description) in enumerate(MEMBERS):
        member = AllianceMember.objects.filter(name=name).first()
        if member is None:
            member = AllianceMember.objects.create(
                name=name,
                category=category,
                description=description,
                sort_order=order,
                logo=ensure_logo(f"联盟成员标志：{name}", monogram, COLOURS[category]),
            )
        members[name] = member
    return members


def ensure_alliance_index(home: HomePage, stdout: TextIO | None = None) -> AllianceIndexPage:
    existing = AllianceIndexPage.objects.first()
    if existing is not None:
        return existing
    # Earlier demo versions put a placeholder StandardPage at /alliance/: make way for the real page.
    for placeholder in StandardPage.objects.child_of(home).filter(slug="alliance"):
        _write(stdout, f"Replaced the placeholder page “{placeholder.title}” with the alliance page.\n")
        placeholder.delete()
    home.refresh_from_db()
    alliance = AllianceIndexPage(
        title="徐汇普法教育联盟",
        slug="alliance",
        intro=INTRO,
        body=ABOUT,
        contact=CONTACT,
        show_in_menus=True,
    )
    home.add_child(instance=alliance)
    alliance.save_revision().publish()
    _write(stdout, "Created the alliance page.\n")
    return alliance


def _child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def ensure_news(alliance: AllianceIndexPage) -> int:
    created = 0
    today = timezone.localdate()
    for spec in NEWS:
        if _child(alliance, AllianceNewsPage, spec["slug"]) is not None:
            continue
        page = AllianceNewsPage(
            title=spec["title"],
            slug=spec["slug"],
            date=today - datetime.timedelta(days=spec["days_ago"]),
            summary=spec["summary"],
            body=spec["body"],
        )
        alliance.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return created


def demo_registrations(event: AllianceEventPage, count: int, number: int) -> None:
    """``count`` made-up registrations (no confirmation is queued for demo data)."""
    if count <= 0 or event.registrations.exists():
        return
    now = timezone.now()
    EventRegistration.objects.bulk_create(
        EventRegistration(
            event=event,
            name=f"{DEMO_SURNAMES[index % len(DEMO_SURNAMES)]}{'女士' if index % 2 else '先生'}",
            phone=f"+86139{number:02d}00{index:04d}",
            organisation=DEMO_SCHOOLS[index % len(DEMO_SCHOOLS)],
            created_at=now - datetime.timedelta(hours=count - index),
        )
        for index in range(count)
    )


def ensure_events(alliance: AllianceIndexPage, members: dict[str, AllianceMember]) -> int:
    created = 0
    today = timezone.localdate()
    for number, spec in enumerate(EVENTS):
        event = _child(alliance, AllianceEventPage, spec["slug"])
        if event is None:
            day = today + datetime.timedelta(days=spec["in_days"])
            starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(spec["hour"])))
            event = AllianceEventPage(
                title=spec["title"],
                slug=spec["slug"],
                kind=spec["kind"],
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=spec["hours"]),
                registration_deadline=starts - datetime.timedelta(days=1),
                place=spec["place"],
                audience=spec["audience"],
                capacity=spec["capacity"],
                summary=spec["summary"],
                description=spec["description"],
            )
            event.organisers = [members[name] for name in spec["organisers"]]
            alliance.add_child(instance=event)
            event.save_revision().publish()
            created += 1
        demo_registrations(event, spec["registrations"], number)
    return created


def ensure_resources(alliance: AllianceIndexPage, members: dict[str, AllianceMember]) -> int:
    created = 0
    for spec in RESOURCES:
        if _child(alliance, TeachingResourcePage, spec["slug"]) is not None:
            continue
        title, lines = spec["file"]
        page = TeachingResourcePage(
            title=spec["title"],
            slug=spec["slug"],
            kind=spec["kind"],
            grade_band=spec["grade"],
            summary=spec["summary"],
            provided_by=members[spec["provided_by"]],
            body=[paragraph(spec["notes"])],
        )
        page.documents = [TeachingResourceDocument(document=ensure_document(title, lines))]
        alliance.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return created


@transaction.atomic
def create_demo_alliance(home: HomePage | None = None, stdout: TextIO | None = None) -> AllianceIndexPage:
    """Creates (or completes) the demo alliance; running it again changes nothing."""
    home = home or HomePage.objects.get()
    members = ensure_members()
    alliance = ensure_alliance_index(home, stdout)
    news = ensure_news(alliance)
    events = ensure_events(alliance, members)
    resources = ensure_resources(alliance, members)
    _write(
        stdout,
        f"Alliance demo: {len(members)} members, {news} new news items, {events} new events, "
        f"{resources} new teaching resources.\n",
    )
    return alliance
