# ruff: noqa: E501 - lesson text is long Chinese prose
"""Demo course library: the catalogue, the shared taxonomy and six family-education courses,
each with a quiz drawing from ten Chinese bank questions (``courses.demo_questions``). One
lesson plays a short video the project ships (``courses/demo_media/``, made by
``make_demo_video.py`` there), stored as a wagtailmedia video item with its poster as the
thumbnail; the lesson's player takes its poster and running time from the item.

``create_demo_courses()`` is idempotent (bakerydemo style): topics, age groups and pages are
looked up by slug (the video item by title) before anything is created, and existing pages
are left as they are. The
home app's ``load_demo_content`` command calls it after the home page exists. When the demo
teacher and parent from ``accounts.demo`` exist, the courses name the teacher and the parent
gets one course in progress and one assigned course, so "my courses" has something to show.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TextIO

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from wagtail.models import Site

from wagtailmedia import get_media_model
from wagtailmedia.models import MediaType

from accounts.models import User
from home.models import HomePage

from .demo_questions import QUESTIONS
from .models import AgeGroup, CourseIndexPage, CoursePage, Enrolment, LessonPage, Question, QuizPage, Topic

KINDS = {"s": Question.Kind.SINGLE, "m": Question.Kind.MULTIPLE, "t": Question.Kind.TRUE_FALSE}

TOPICS = [
    ("communication", "亲子沟通"),
    ("emotions", "情绪管理"),
    ("bullying", "防范校园欺凌"),
    ("online-safety", "网络安全与防沉迷"),
    ("puberty", "青春期教育"),
    ("law", "法治教育"),
]
AGE_GROUPS = [
    ("preschool", "学龄前（3–6 岁）", 3, 6),
    ("primary", "小学（6–12 岁）", 6, 12),
    ("junior", "初中（12–15 岁）", 12, 15),
    ("senior", "高中（15–18 岁）", 15, 18),
]
ORGANISATION = "徐汇区未成年人保护中心（演示）"

DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"
DEMO_VIDEO = DEMO_MEDIA / "recognising-the-signs.mp4"
DEMO_POSTER = DEMO_MEDIA / "recognising-the-signs-poster.jpg"
DEMO_VIDEO_SECONDS = 30
DEMO_VIDEO_SIZE = (640, 360)
DEMO_VIDEO_TITLE = "识别信号：孩子可能正在被欺凌（演示视频）"
# (course slug, lesson slug): the lesson that gets the demo video, above its text.
DEMO_VIDEO_LESSON = ("preventing-school-bullying", "lesson-2")
DEMO_VIDEO_TRANSCRIPT = (
    "<h3>识别信号：孩子可能正在被欺凌</h3>"
    "<p><b>身体和物品</b>：身上有说不清来由的伤痕；文具、衣物经常损坏或丢失；零花钱花得特别快。</p>"
    "<p><b>情绪和学习</b>：早上不想上学，常说肚子疼；睡不好，容易发脾气；成绩突然下降。</p>"
    "<p><b>先倾听</b>：先说“这不是你的错”，再问发生了什么；不责怪，不急着给办法。</p>"
    "<p><b>去求助</b>：联系班主任和学校、所在街镇的未成年人保护工作站，或拨打 12355 青少年服务台。</p>"
)


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def callout(heading: str, text: str, tone: str = "key") -> dict:
    return {"type": "callout", "value": {"tone": tone, "heading": heading, "text": text}}


def quote(text: str, source: str) -> dict:
    return {"type": "quote", "value": {"text": text, "source": source}}


COURSES = [
    {
        "slug": "parent-child-communication",
        "title": "亲子沟通：从听懂孩子开始",
        "summary": "孩子不愿意说、一说就吵？这门课帮助家长学会倾听、好好说话，让孩子在家里愿意开口。",
        "objectives": "学会不打断、不评判地倾听\n用“我”开头的句子表达担心\n每天留出 15 分钟的专属交流时间",
        "minutes": 35,
        "topics": ["communication"],
        "ages": ["preschool", "primary", "junior"],
        "lessons": [
            (
                "倾听：让孩子愿意开口",
                [
                    paragraph(
                        "<p>很多家长说“孩子什么都不跟我说”。其实孩子是否愿意开口，往往取决于他上一次开口时得到了什么回应。"
                        "如果每次说起学校的事，换来的都是批评、说教或者马上给出的“解决办法”，孩子自然会越说越少。</p>"
                        "<h2>倾听的三个步骤</h2><ol>"
                        "<li><b>停下来</b>：放下手机，转向孩子，让他看到你在认真听。</li>"
                        "<li><b>复述</b>：用自己的话说出你听到的内容，例如“你是说今天体育课没被选进队里？”</li>"
                        "<li><b>说出感受</b>：帮孩子给情绪命名，例如“听起来你有点失落，还有点生气”。</li></ol>"
                        "<p>在孩子把话说完之前，先不要急着评价对错，也不要马上给建议。被听懂的感觉，本身就能让孩子平静下来。</p>"
                    ),
                    callout(
                        "试一试",
                        "今晚找一个轻松的时刻，只问一句“今天有什么开心或者不开心的事吗？”，然后只听、不评价。",
                        "tip",
                    ),
                ],
            ),
            (
                "好好说话：表达担心而不是指责",
                [
                    paragraph(
                        "<p>当我们着急时，最容易说出的是“你怎么又……”“你总是……”。这样的话让孩子感到被攻击，"
                        "他的注意力会放在为自己辩护上，而不是听懂我们的担心。</p>"
                        "<h2>用“我”开头的句子</h2>"
                        "<p>把“你又玩到这么晚！”换成“我看到已经十点了，我担心你明天起不来，会很累”。"
                        "一句完整的表达包括：<b>看到的事实</b>、<b>我的感受</b>、<b>我的期待</b>。</p>"
                        "<ul><li>事实：只描述看到的，不加“总是”“从来”。</li>"
                        "<li>感受：说出自己的担心、着急或难过。</li>"
                        "<li>期待：提出一个具体、可以做到的请求。</li></ul>"
                    ),
                    quote("父母是孩子的第一任老师，家庭是孩子的第一个课堂。", "家庭教育的基本理念"),
                ],
            ),
            (
                "每天 15 分钟：建立亲子专属时间",
                [
                    paragraph(
                        "<p>亲密的关系来自日常的积累。每天固定 15 分钟，由孩子决定做什么：聊天、下棋、散步、一起做饭都可以。"
                        "这段时间里不谈作业、不谈成绩，也不看手机。</p>"
                        "<p>坚持两到三周，很多家长会发现，孩子开始主动分享学校里的事情。"
                        "当孩子遇到真正的困难——比如被同学欺负——他也更可能第一时间告诉你。</p>"
                    ),
                    callout("记住", "孩子愿意说，是保护孩子的第一道防线。"),
                ],
            ),
        ],
    },
    {
        "slug": "managing-emotions",
        "title": "情绪管理：陪孩子认识和安放情绪",
        "summary": "发脾气、哭闹、闷闷不乐都是孩子在表达需要。学习识别情绪、平静应对，并教孩子自己调节。",
        "objectives": "理解情绪背后的需要\n在孩子情绪爆发时先稳住自己\n教孩子三个简单的自我平静方法",
        "minutes": 30,
        "topics": ["emotions"],
        "ages": ["preschool", "primary"],
        "lessons": [
            (
                "情绪没有好坏，行为有边界",
                [
                    paragraph(
                        "<p>生气、害怕、嫉妒、难过都是正常的情绪，它们提醒我们某个需要没有被满足。"
                        "家长要做的不是消灭情绪，而是帮助孩子用安全的方式表达情绪。</p>"
                        "<p>可以对孩子说：“你可以生气，但是不可以打人。你可以跺脚、可以告诉我你很生气。”"
                        "这样既接纳了感受，也守住了行为的边界。</p>"
                    ),
                    callout(
                        "小提示", "给情绪命名能让大脑平静下来。多用“你看起来很失望”“你是不是有点害怕”这样的话。", "tip"
                    ),
                ],
            ),
            (
                "孩子情绪爆发时，家长怎么做",
                [
                    paragraph(
                        "<h2>先稳住自己</h2><p>孩子大哭大闹时，家长的第一反应常常是跟着着急。先做三次深呼吸，"
                        "提醒自己：孩子不是在跟我作对，他是遇到了困难。</p>"
                        "<h2>再陪伴孩子</h2><ol><li>蹲下来，用平静、低沉的声音说话。</li>"
                        "<li>少讲道理，多陪伴：“我在这儿，等你好一点我们再说。”</li>"
                        "<li>情绪过去后，再一起讨论刚才发生了什么、下次可以怎么做。</li></ol>"
                    ),
                    callout(
                        "需要帮助时",
                        "如果孩子长期情绪低落、睡眠饮食明显变化或说出伤害自己的话，请及时寻求学校心理老师或专业机构的帮助。",
                        "warning",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "preventing-school-bullying",
        "title": "防范校园欺凌：家长必须知道的事",
        "summary": "认识欺凌的五种形式，识别孩子被欺凌或欺凌他人的信号，知道该找谁、怎么做。",
        "objectives": "区分欺凌和一般的同学冲突\n识别孩子可能被欺凌的信号\n知道发生欺凌后的求助和报告渠道",
        "minutes": 40,
        "topics": ["bullying", "law"],
        "ages": ["primary", "junior", "senior"],
        "lessons": [
            (
                "什么是校园欺凌",
                [
                    paragraph(
                        "<p>校园欺凌是发生在学生之间，一方蓄意或者恶意通过肢体、语言及网络等手段实施欺压、侮辱，"
                        "造成另一方人身伤害、财产损失或者精神损害的行为。它和偶尔的打闹、争吵不同，通常有三个特点："
                        "<b>故意</b>、<b>反复发生</b>、<b>双方力量不对等</b>。</p>"
                        "<h2>五种常见形式</h2><ul>"
                        "<li><b>肢体欺凌</b>：推搡、殴打、抢夺或损坏物品。</li>"
                        "<li><b>言语欺凌</b>：起侮辱性外号、嘲笑、威胁。</li>"
                        "<li><b>关系欺凌</b>：孤立、排挤、散布谣言。</li>"
                        "<li><b>网络欺凌</b>：在群聊、社交平台上辱骂、曝光隐私、恶意 P 图。</li>"
                        "<li><b>财物欺凌</b>：索要钱物、强迫请客。</li></ul>"
                    ),
                ],
            ),
            (
                "识别信号：孩子可能正在被欺凌",
                [
                    paragraph(
                        "<p>被欺凌的孩子往往不会主动说出来，因为害怕报复、觉得丢脸，或者担心家长把事情闹大。"
                        "请留意这些变化：</p><ul>"
                        "<li>不想上学，早上常说肚子疼、头疼；</li>"
                        "<li>身上有说不清来由的伤痕，衣物、文具经常损坏或丢失；</li>"
                        "<li>零花钱花得特别快，或者开始向家里要钱；</li>"
                        "<li>情绪低落、易怒，睡不好，成绩突然下降；</li>"
                        "<li>看手机时神情紧张，突然退出班级群或社交平台。</li></ul>"
                        "<p>同样要留意：孩子是否经常带回不属于自己的物品、说话中流露出对某个同学的轻蔑——"
                        "这可能说明孩子在欺负别人，同样需要家长及时引导。</p>"
                    ),
                    callout(
                        "和孩子谈的时候",
                        "先说“这不是你的错”，再问发生了什么。不要当着孩子的面指责他“为什么不还手”或“为什么不早说”。",
                        "tip",
                    ),
                ],
            ),
            (
                "发生欺凌后，家长怎么做",
                [
                    paragraph(
                        "<ol><li><b>确保安全</b>：孩子受伤时先就医，并保留病历和票据。</li>"
                        "<li><b>保留证据</b>：截图聊天记录，记下时间、地点、在场的人。</li>"
                        "<li><b>联系学校</b>：向班主任和学校防欺凌负责人书面反映，学校应当及时调查处理。</li>"
                        "<li><b>寻求支持</b>：可以联系所在街镇的未成年人保护工作站，或拨打 12355 青少年服务台。</li>"
                        "<li><b>紧急情况报警</b>：遇到严重伤害、敲诈勒索等情况，立即拨打 110。</li></ol>"
                    ),
                    callout(
                        "请记住", "不要私下找对方孩子“算账”。通过学校和有关部门依法处理，才能真正保护孩子。", "warning"
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "online-safety",
        "title": "网络安全与防沉迷",
        "summary": "和孩子一起制定用网规则，认识网络诈骗、不良信息和网络欺凌，帮助孩子健康上网。",
        "objectives": "和孩子共同制定家庭用网公约\n使用未成年人模式和时间管理工具\n教孩子识别网络诈骗和不良信息",
        "minutes": 30,
        "topics": ["online-safety"],
        "ages": ["primary", "junior", "senior"],
        "lessons": [
            (
                "制定家庭用网公约",
                [
                    paragraph(
                        "<p>简单的禁止往往换来偷偷地玩。更有效的办法是和孩子一起商量规则，并写下来贴在家里。"
                        "一份好的家庭用网公约包括：</p><ul>"
                        "<li>什么时间可以用（例如完成作业后，每天不超过 1 小时）；</li>"
                        "<li>在哪里用（客厅等公共空间，睡前 1 小时手机放在卧室外）；</li>"
                        "<li>可以用哪些应用，新下载应用先和家长商量；</li>"
                        "<li>遇到让自己不舒服的内容或陌生人，第一时间告诉家长。</li></ul>"
                        "<p>家长也要遵守公约：吃饭和陪伴孩子时不刷手机。</p>"
                    ),
                    quote(
                        "未成年人的父母或者其他监护人应当提高网络素养，规范自身使用网络的行为，加强对未成年人使用网络行为的引导和监督。",
                        "《中华人民共和国未成年人保护法》",
                    ),
                ],
            ),
            (
                "识别网络诈骗和不良信息",
                [
                    paragraph(
                        "<h2>常见的针对孩子的骗局</h2><ul>"
                        "<li>“免费领游戏皮肤”“充值返利”，要求扫码或提供家长的支付密码；</li>"
                        "<li>冒充明星、客服，以“退款”“解冻账号”为名骗取验证码；</li>"
                        "<li>网友索要私密照片，之后以此威胁。</li></ul>"
                        "<p>教孩子记住三个“不”：<b>不透露</b>家庭住址、学校和密码，<b>不转账</b>，"
                        "<b>不单独见</b>网友。遇到威胁不要害怕，告诉家长并报警。</p>"
                    ),
                    callout("工具", "开启手机和各类应用的“未成年人模式”，设置支付密码并不要告诉孩子。", "tip"),
                ],
            ),
        ],
    },
    {
        "slug": "puberty-education",
        "title": "青春期教育：陪孩子平稳度过成长期",
        "summary": "了解青春期身心变化，用科学、坦然的态度谈论身体和性，教会孩子保护自己。",
        "objectives": "了解青春期常见的身心变化\n用恰当的方式和孩子谈身体与界限\n教孩子识别和拒绝不当接触",
        "minutes": 30,
        "topics": ["puberty"],
        "ages": ["primary", "junior"],
        "lessons": [
            (
                "青春期的身体和心理变化",
                [
                    paragraph(
                        "<p>青春期通常从 10 到 14 岁开始，女孩一般比男孩早一两年。身体快速发育的同时，"
                        "孩子更在意外表和同伴的看法，渴望独立，情绪起伏也更大。</p>"
                        "<p>这些变化是正常的。家长可以提前告诉孩子将会发生什么，例如月经、遗精、长青春痘、变声，"
                        "让孩子知道“这是每个人都会经历的”，减少紧张和羞耻感。</p>"
                    ),
                    callout(
                        "沟通建议", "尊重孩子的隐私：进房间先敲门，不翻看日记和手机，除非有安全方面的明确担心。", "tip"
                    ),
                ],
            ),
            (
                "身体界限与自我保护",
                [
                    paragraph(
                        "<p>从小就可以用正确的名称告诉孩子身体各部位，并讲清楚：背心和短裤覆盖的地方是隐私部位，"
                        "除了必要的就医和清洁，任何人都不能触碰，也不能要求孩子触碰别人。</p>"
                        "<h2>教孩子三句话</h2><ol><li>“不行！”——大声拒绝。</li>"
                        "<li>“我要走了。”——尽快离开。</li><li>“我要告诉爸爸妈妈。”——无论对方是谁、说了什么。</li></ol>"
                        "<p>告诉孩子：有人让你保守让你不舒服的秘密，这种秘密一定要告诉家长，你不会因此被责怪。</p>"
                    ),
                    callout(
                        "强制报告",
                        "发现孩子可能遭受性侵害等不法侵害时，请立即报警。学校、医院等单位的工作人员依法负有强制报告义务。",
                        "warning",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "law-in-the-family",
        "title": "家庭中的法治教育",
        "summary": "了解家长的法定监护责任和孩子的权利，在家里培养孩子的规则意识和法治观念。",
        "objectives": "了解家庭教育促进法对家长的要求\n认识未成年人依法享有的权利\n在日常生活中培养孩子的规则意识",
        "minutes": 35,
        "topics": ["law"],
        "ages": ["primary", "junior", "senior"],
        "lessons": [
            (
                "家长的法定责任",
                [
                    paragraph(
                        "<p>《中华人民共和国家庭教育促进法》自 2022 年 1 月 1 日起施行。它明确：家庭教育是父母或者其他监护人的主体责任，"
                        "国家和社会为家庭教育提供指导、支持和服务。</p>"
                        "<p>法律要求家长关注孩子的身心健康，合理安排孩子的学习、休息、娱乐和体育锻炼，"
                        "不得对孩子实施家庭暴力，也不得因为工作繁忙等理由拒绝或者怠于履行家庭教育责任。</p>"
                        "<p>对于未成年人严重违反法律或者监护人不依法履行责任的情形，公安机关、人民检察院、人民法院可以"
                        "予以训诫，并责令其接受家庭教育指导。本平台的“指定课程”就是为此类家庭教育指导服务的。</p>"
                    ),
                    quote(
                        "父母或者其他监护人应当树立家庭是第一个课堂、家长是第一任老师的责任意识，承担对未成年人实施家庭教育的主体责任。",
                        "《中华人民共和国家庭教育促进法》",
                    ),
                ],
            ),
            (
                "在生活中培养规则意识",
                [
                    paragraph(
                        "<p>法治教育不只是讲法律条文，更在于日常生活中的规则和榜样。</p><ul>"
                        "<li><b>家里的规则一起定</b>：定规则时听孩子的意见，违反规则的后果事先说清楚，并且前后一致地执行。</li>"
                        "<li><b>家长做榜样</b>：遵守交通规则，排队、不占小便宜，孩子会看在眼里。</li>"
                        "<li><b>借新闻讨论</b>：看到与未成年人相关的新闻时，问孩子“你怎么看？如果是你会怎么做？”</li>"
                        "<li><b>告诉孩子他的权利</b>：孩子的人身安全、隐私和受教育权受法律保护，遇到侵害可以求助。</li></ul>"
                    ),
                    callout(
                        "求助渠道",
                        "遇到侵害未成年人权益的情况，可以联系所在街镇未保工作站、拨打 12355 或直接报警 110。",
                    ),
                ],
            ),
        ],
    },
]


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _home_page() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.get()


def ensure_taxonomy() -> tuple[dict[str, Topic], dict[str, AgeGroup]]:
    topics = {}
    for order, (slug, name) in enumerate(TOPICS):
        topics[slug], _created = Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    age_groups = {}
    for order, (slug, name, youngest, oldest) in enumerate(AGE_GROUPS):
        age_groups[slug], _created = AgeGroup.objects.get_or_create(
            slug=slug, defaults={"name": name, "min_age": youngest, "max_age": oldest, "sort_order": order}
        )
    return topics, age_groups


def ensure_catalogue(home: HomePage) -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    catalogue = CourseIndexPage(
        title="家庭教育课程资源库",
        slug="courses",
        intro="按孩子的年龄和您关心的主题，找到合适的家庭教育课程。课程免费，可随时暂停，进度自动保存。",
        show_in_menus=True,
    )
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    return catalogue


def ensure_course(catalogue, spec: dict, topics, age_groups, teacher: User | None) -> tuple[CoursePage, bool]:
    existing = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing, False
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        learning_objectives=spec["objectives"],
        estimated_minutes=spec["minutes"],
        teacher=teacher,
        organisation=ORGANISATION,
    )
    course.topics = [topics[slug] for slug in spec["topics"]]
    course.age_groups = [age_groups[slug] for slug in spec["ages"]]
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    for number, (title, body) in enumerate(spec["lessons"], start=1):
        lesson = LessonPage(title=title, slug=f"lesson-{number}", body=body, minimum_reading_seconds=60)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course, True


def _store(field_file, source: Path, folder: str) -> None:
    """Puts a shipped file into a file field; the stored copy is reused when a database is
    rebuilt over the same media folder, so files do not pile up."""
    storage = field_file.storage
    name = f"{folder}/{source.name}"
    if storage.exists(name) and storage.size(name) == source.stat().st_size:
        field_file.name = name
    else:
        with source.open("rb") as handle:
            field_file.save(source.name, File(handle), save=False)


def ensure_demo_media_item():
    """The demo video as a wagtailmedia video item (root collection), found by title, with the
    poster as its thumbnail and the running time and size the player needs."""
    media_model = get_media_model()
    existing = media_model.objects.filter(title=DEMO_VIDEO_TITLE, type=MediaType.VIDEO).first()
    if existing is not None:
        return existing
    width, height = DEMO_VIDEO_SIZE
    media_item = media_model(
        title=DEMO_VIDEO_TITLE, type=MediaType.VIDEO, duration=DEMO_VIDEO_SECONDS, width=width, height=height
    )
    _store(media_item.file, DEMO_VIDEO, "media")
    _store(media_item.thumbnail, DEMO_POSTER, "media_thumbnails")
    media_item.save()
    return media_item


def _is_demo_or_placeholder(player) -> bool:
    """A player the demo may replace: none, a URL or a missing file, or the demo video as the
    Wagtail document earlier versions of the demo stored."""
    if player is None:
        return True
    if player.get("media") is not None:
        return False
    document = player.get("document")
    return document is None or document.title == DEMO_VIDEO_TITLE


def ensure_demo_video(course: CoursePage) -> bool:
    """Puts the demo video at the top of one lesson, replacing a placeholder player; a lesson
    whose player already has a file of an editor's is left alone. True when changed."""
    lesson = LessonPage.objects.child_of(course).filter(slug=DEMO_VIDEO_LESSON[1]).first()
    if lesson is None or not _is_demo_or_placeholder(lesson.media_block()):
        return False
    media_item = ensure_demo_media_item()
    player = {
        "type": "media",
        "value": {
            "kind": "video",
            "title": "识别信号：家长要留意的变化",
            "media": media_item.pk,
            "document": None,
            "url": "",
            "poster": None,  # the media item's thumbnail
            "duration_seconds": None,  # the media item's duration
            "transcript": DEMO_VIDEO_TRANSCRIPT,
        },
    }
    body = [dict(block) for block in lesson.body.raw_data if block["type"] != "media"]
    lesson.body = json.dumps([player, *body])
    lesson.save_revision().publish()
    return True


def ensure_quiz(course: CoursePage, topics: dict[str, Topic]) -> tuple[QuizPage, int]:
    """Ten bank questions (looked up by text) and a five-question quiz after the lessons."""
    from courses.question_bank import option_stream

    topic_slug, questions = QUESTIONS[course.slug]
    topic = topics[topic_slug]
    created = 0
    for kind, text, options, explanation in questions:
        if Question.objects.filter(text=text).exists():
            continue
        question = Question(
            text=text,
            kind=KINDS[kind],
            options=option_stream(options),
            explanation=explanation,
            topic=topic,
            difficulty=Question.Difficulty.EASY,
        )
        question.save()
        question.save_revision().publish()
        created += 1
    quiz = QuizPage.objects.child_of(course).first()
    if quiz is None:
        quiz = QuizPage(
            title="课后测验",
            slug="quiz",
            intro="检验一下学到的内容：答对 60% 即可通过，可以尝试 3 次，提交后可以看到每道题的解析。",
            question_count=5,
            pass_mark_percent=60,
            max_attempts=3,
            time_limit_minutes=15,
        )
        quiz.topics = [topic]
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
    return quiz.specific, created


def ensure_demo_enrolments(courses: list[CoursePage], parent: User) -> None:
    """The demo parent: one course in progress (first lesson done), one assigned with a deadline."""
    from courses import services

    if Enrolment.objects.filter(parent=parent).exists():
        return
    started, assigned = courses[0], courses[2]
    services.enrol(parent, started)
    first = LessonPage.objects.live().child_of(started).order_by("path").first()
    progress = services.open_lesson(parent, first)
    progress.first_opened_at = timezone.now() - datetime.timedelta(minutes=10)
    progress.save(update_fields=["first_opened_at"])
    services.mark_text_lesson_done(parent, first)
    services.assign_course(
        assigned,
        [parent],
        timezone.localdate() + datetime.timedelta(days=14),
        "学校防欺凌工作安排的家长必修课（演示）",
        assigned_by=None,
    )


@transaction.atomic
def create_demo_courses(stdout: TextIO | None = None) -> CourseIndexPage:
    """Creates (or completes) the demo course library; running it again changes nothing."""
    home = _home_page()
    topics, age_groups = ensure_taxonomy()
    catalogue = ensure_catalogue(home)
    teacher = User.objects.filter(email="teacher@demo.huiai.invalid").first()
    courses = []
    for spec in COURSES:
        course, created = ensure_course(catalogue, spec, topics, age_groups, teacher)
        courses.append(course)
        _write(stdout, f"{'Created' if created else 'Kept'} course {course.title}\n")
        if course.slug == DEMO_VIDEO_LESSON[0] and ensure_demo_video(course):
            _write(stdout, f"Added the demo video to {course.title}\n")
        _quiz, new_questions = ensure_quiz(course, topics)
        if new_questions:
            _write(stdout, f"Added {new_questions} quiz questions to {course.title}\n")
    parent = User.objects.filter(email="parent@demo.huiai.invalid").first()
    if parent is not None:
        ensure_demo_enrolments(courses, parent)
    return catalogue
