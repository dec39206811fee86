# ruff: noqa: E501 - resource text is long Chinese prose
"""Demo resource library: the library index and sixteen short resources in Chinese.

``create_demo_resources()`` is idempotent (bakerydemo style): the taxonomy comes from the course
library's ``ensure_taxonomy`` (the two libraries share it), the index and each resource are
looked up by slug, and the handouts of document resources by title, before anything is created.
Existing pages are left as they are. ``load_demo_content`` calls it after the home page exists.

No media files ship with the demo and nothing links outside the site: video and audio resources
carry their script as text, with a note saying the recording is not part of the demo.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.core.files.base import ContentFile
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.models import Site

from courses.demo import callout, ensure_taxonomy, paragraph, quote
from home.models import HomePage

from .models import LibraryIndexPage, ResourceKind, ResourcePage

SOURCE = "徐汇区未成年人保护中心（演示）"
LATEST_DATE = datetime.date(2026, 11, 20)
MEDIA_NOTE = "演示内容：本资源的{kind}文件没有随演示数据提供，下面是节目的文字稿，内容可以直接阅读。"


def media_note(kind: str) -> dict:
    label = "视频" if kind == ResourceKind.VIDEO else "音频"
    return callout("关于本资源", MEDIA_NOTE.format(kind=label), "tip")


RESOURCES = [
    {
        "slug": "signs-of-school-bullying",
        "title": "如何识别孩子遭受校园欺凌的信号",
        "kind": ResourceKind.ARTICLE,
        "summary": "孩子很少主动说自己被欺负。身体、情绪、学习和物品上的一些变化，往往是最早的信号。",
        "topics": ["bullying"],
        "ages": ["primary", "junior"],
        "body": [
            paragraph(
                "<p>被欺凌的孩子常常因为害怕报复、觉得丢脸或担心家长责怪而选择沉默。家长能做的第一件事，是留意孩子的变化。</p>"
                "<h2>值得留意的信号</h2><ul>"
                "<li><b>身体</b>：身上有说不清来历的伤痕，衣服、书包经常破损。</li>"
                "<li><b>物品和钱</b>：文具、零花钱经常“丢失”，或者向家里要更多的钱。</li>"
                "<li><b>情绪</b>：上学前头疼、肚子疼，睡不好，容易发脾气或突然变得沉默。</li>"
                "<li><b>学习和交往</b>：成绩下滑，不愿提起某些同学，不再参加集体活动。</li>"
                "<li><b>网络</b>：看手机后情绪低落，删除社交账号，或者害怕消息提示音。</li></ul>"
                "<p>出现一两个信号不一定就是欺凌，但如果几种变化同时出现并持续一段时间，就需要认真和孩子谈一谈。</p>"
            ),
            callout(
                "先稳住自己",
                "孩子开口时，先不要追问细节或急着去找对方家长。告诉孩子“这不是你的错，你告诉我是对的”，再一起商量下一步。",
            ),
            paragraph(
                "<h2>接下来怎么做</h2><ol>"
                "<li>记录时间、地点、涉及的人和经过，保存照片、聊天记录等证据。</li>"
                "<li>及时联系班主任或学校防欺凌负责人，要求学校依规调查处理。</li>"
                "<li>孩子受伤或受到威胁时，先就医、报警，再向学校报告。</li></ol>"
            ),
        ],
    },
    {
        "slug": "phone-addiction",
        "title": "孩子沉迷手机怎么办",
        "kind": ResourceKind.ARTICLE,
        "summary": "没收手机往往换来冲突。和孩子一起定规则、找替代活动，比单纯禁止更有效。",
        "topics": ["online-safety"],
        "ages": ["primary", "junior", "senior"],
        "body": [
            paragraph(
                "<p>孩子离不开手机，往往不只是“自制力差”。游戏和短视频给了他们即时的成就感和同伴话题，"
                "现实生活里缺少的东西，他们会在屏幕里找。</p>"
                "<h2>四个做法</h2><ol>"
                "<li><b>先了解再管</b>：请孩子给你演示他在玩什么、和谁聊天，少评价，多好奇。</li>"
                "<li><b>一起定规则</b>：写下每天的使用时长、睡前一小时不用手机、作业完成后再玩，全家都遵守。</li>"
                "<li><b>用技术帮忙</b>：开启手机和游戏的未成年人模式，设置使用时长提醒。</li>"
                "<li><b>找到替代</b>：运动、户外、手工和朋友聚会，让孩子在现实中也有成就感。</li></ol>"
            ),
            callout(
                "家长以身作则", "吃饭和陪孩子的时候，家长也把手机放到一边。孩子学的是你怎么做，而不是你怎么说。", "tip"
            ),
            paragraph("<p>如果孩子因为手机长期失眠、拒绝上学或情绪失控，可以向学校心理老师或专业机构求助。</p>"),
        ],
    },
    {
        "slug": "talking-with-teenagers",
        "title": "与青春期孩子沟通的五个方法",
        "kind": ResourceKind.ARTICLE,
        "summary": "青春期的孩子需要被尊重。少说教、多倾听，给孩子说话的空间，关系才会变好。",
        "topics": ["communication", "puberty"],
        "ages": ["junior", "senior"],
        "body": [
            paragraph(
                "<p>进入青春期，孩子开始要求独立，对父母的意见也更敏感。沟通方式需要跟着孩子一起成长。</p><ol>"
                "<li><b>选对时机</b>：在车上、散步、做饭时聊天，比面对面“谈话”更轻松。</li>"
                "<li><b>先听完</b>：孩子说话时不打断，不急着纠正，先复述你听到的内容。</li>"
                "<li><b>用“我”开头</b>：说“我担心你睡得太晚”，而不是“你总是熬夜”。</li>"
                "<li><b>给选择</b>：在安全的范围内，让孩子自己决定并承担结果。</li>"
                "<li><b>尊重隐私</b>：不偷看日记和聊天记录，遇到安全问题时坦诚说明原因。</li></ol>"
            ),
            quote("孩子愿意对你说话，是因为他相信你会先听，而不是先评判。", "家庭教育指导师"),
        ],
    },
    {
        "slug": "minors-protection-law-for-parents",
        "title": "《未成年人保护法》家长须知",
        "kind": ResourceKind.ARTICLE,
        "summary": "监护人应当做什么、不得做什么，遇到侵害怎么报告：家长需要知道的几个要点。",
        "topics": ["law"],
        "ages": ["preschool", "primary", "junior", "senior"],
        "body": [
            paragraph(
                "<p>《中华人民共和国未成年人保护法》明确了家庭、学校、社会、网络、政府和司法六个方面的保护责任。"
                "父母或者其他监护人是孩子的第一责任人。</p>"
                "<h2>监护人应当做的</h2><ul>"
                "<li>为孩子提供生活、健康和安全保障，关注孩子的生理、心理状况和情感需求；</li>"
                "<li>教育和引导孩子遵纪守法，养成良好的思想品德和行为习惯；</li>"
                "<li>保障孩子接受并完成义务教育；</li>"
                "<li>预防和制止孩子的不良行为，引导孩子合理使用网络。</li></ul>"
                "<h2>监护人不得做的</h2><ul>"
                "<li>虐待、遗弃孩子，或者对孩子实施家庭暴力；</li>"
                "<li>放任孩子旷课、辍学，或者放任孩子沉迷网络；</li>"
                "<li>让不满十六周岁的孩子脱离监护单独生活。</li></ul>"
            ),
            callout(
                "强制报告",
                "学校、医院、社区等单位的工作人员发现孩子遭受或疑似遭受侵害的，应当立即向公安、民政、教育等部门报告。",
            ),
        ],
    },
    {
        "slug": "family-education-promotion-law",
        "title": "家庭教育促进法解读",
        "kind": ResourceKind.ARTICLE,
        "summary": "家庭教育从“家事”变成“国事”：这部法律对父母提出了哪些要求，又为家庭提供了哪些支持。",
        "topics": ["law", "communication"],
        "ages": ["preschool", "primary", "junior", "senior"],
        "body": [
            paragraph(
                "<p>《中华人民共和国家庭教育促进法》自 2022 年 1 月 1 日起施行。它强调父母是家庭教育的主体责任人，"
                "同时要求政府、学校和社会为家庭提供指导和支持。</p>"
                "<h2>对父母的要求</h2><ul>"
                "<li>亲自养育，加强亲子陪伴；</li>"
                "<li>言传与身教相结合，以身作则；</li>"
                "<li>尊重差异，根据孩子的年龄和个性特点进行教育；</li>"
                "<li>平等交流，尊重孩子的意见；</li>"
                "<li>合理安排孩子的学习、休息、娱乐和体育锻炼时间，不加重学习负担。</li></ul>"
                "<h2>家庭教育指导令</h2>"
                "<p>对于涉及案件的未成年人，法院可以责令其父母接受家庭教育指导。"
                "在徐汇，指定的课程会出现在家长的“我的课程”里，并提醒完成期限。</p>"
            ),
        ],
    },
    {
        "slug": "cyberbullying-evidence",
        "title": "网络欺凌的证据保存",
        "kind": ResourceKind.ARTICLE,
        "summary": "聊天记录、评论和图片可能随时被删除。遇到网络欺凌，先保存证据，再举报和求助。",
        "topics": ["bullying", "online-safety"],
        "ages": ["primary", "junior", "senior"],
        "body": [
            paragraph(
                "<p>网络欺凌包括在群聊或社交平台上辱骂、造谣、恶意 P 图、曝光隐私和孤立排挤。"
                "证据是学校调查和平台处理的依据，一旦被删除就很难找回。</p>"
                "<h2>怎样保存证据</h2><ol>"
                "<li>完整截图：包含发布者的账号、昵称、时间和内容，聊天记录要连续截取。</li>"
                "<li>录屏：对于会消失的内容（限时动态、直播），用录屏保存。</li>"
                "<li>记下链接和群名称，保存原始图片和视频文件。</li>"
                "<li>把材料备份到电脑或云盘，不要只存在孩子的手机里。</li></ol>"
            ),
            callout(
                "不要回击",
                "提醒孩子不要在网上回骂或报复，以免事情升级，也避免自己的言论被对方当作证据。",
                "warning",
            ),
            paragraph(
                "<p>保存证据后，可以向平台举报、联系学校防欺凌负责人；涉及威胁、敲诈或传播隐私照片的，应当报警。</p>"
            ),
        ],
    },
    {
        "slug": "if-your-child-bullies-others",
        "title": "当孩子欺负了别人",
        "kind": ResourceKind.ARTICLE,
        "summary": "得知自己的孩子欺负别人，家长同样需要冷静面对：先了解事实，再帮孩子承担责任、学会改变。",
        "topics": ["bullying", "emotions"],
        "ages": ["primary", "junior"],
        "body": [
            paragraph(
                "<p>欺负别人的孩子，有时是在模仿，有时是在发泄，也有时是想在同伴中获得地位。"
                "家长的态度决定了这是一次成长的机会，还是问题的开始。</p><ol>"
                "<li>先听学校和孩子讲清楚经过，不包庇，也不当场打骂。</li>"
                "<li>让孩子说出对方可能的感受，帮助他理解伤害。</li>"
                "<li>陪孩子道歉、赔偿损失，配合学校的教育措施。</li>"
                "<li>留意孩子背后的原因：是否也受过欺负、压力过大或缺少陪伴。</li></ol>"
            ),
            callout("家长的榜样", "在家里用平和的方式解决冲突，孩子才能学会不用拳头和言语伤害别人。", "tip"),
        ],
    },
    {
        "slug": "preschool-body-safety",
        "title": "学龄前儿童身体安全教育",
        "kind": ResourceKind.ARTICLE,
        "summary": "用孩子听得懂的话，教会他们认识身体、分辨好的和不好的接触，并知道向谁求助。",
        "topics": ["law", "emotions"],
        "ages": ["preschool"],
        "body": [
            paragraph(
                "<p>身体安全教育越早开始越自然。三到六岁的孩子可以通过绘本、儿歌和游戏学会保护自己。</p><ul>"
                "<li>用正确的名称认识身体的各个部位；</li>"
                "<li>背心和短裤遮住的地方是隐私部位，别人不可以看、不可以摸；</li>"
                "<li>让你不舒服的接触，可以大声说“不”，然后跑开；</li>"
                "<li>有人让你保守“秘密”时，一定要告诉爸爸妈妈或老师。</li></ul>"
            ),
            callout("家长记住", "孩子说起让他不舒服的事时，要相信孩子、表扬他说出来，并及时报警或向有关部门报告。"),
        ],
    },
    {
        "slug": "video-recognising-bullying-at-school",
        "title": "视频：校园欺凌的四种形式",
        "kind": ResourceKind.VIDEO,
        "summary": "肢体、言语、关系和网络欺凌各是什么样子？通过四个校园情景，帮助孩子和家长分辨欺凌与玩笑。",
        "topics": ["bullying"],
        "ages": ["primary", "junior"],
        "body": [
            media_note(ResourceKind.VIDEO),
            paragraph(
                "<h2>文字稿</h2>"
                "<p><b>情景一 · 肢体欺凌</b>：课间，几个同学反复推搡一个男孩，还把他的书包扔进垃圾桶。"
                "——故意、反复地伤害身体或损坏财物，就是欺凌，不是“闹着玩”。</p>"
                "<p><b>情景二 · 言语欺凌</b>：有同学给别人起难听的外号，全班跟着叫。——持续的嘲笑和侮辱同样会造成伤害。</p>"
                "<p><b>情景三 · 关系欺凌</b>：小组活动时，大家约好“谁都不跟她一组”。——故意孤立、排挤也是欺凌。</p>"
                "<p><b>情景四 · 网络欺凌</b>：有人把同学的照片改成搞笑图片发到班级群。——在网上传播、嘲讽他人，伤害会被无限放大。</p>"
                "<p>看到欺凌时，可以告诉老师，陪在被欺负的同学身边，不围观、不转发。</p>"
            ),
        ],
    },
    {
        "slug": "video-managing-anger",
        "title": "视频：和孩子一起管理愤怒",
        "kind": ResourceKind.VIDEO,
        "summary": "孩子发脾气时，家长怎样先让自己平静，再帮助孩子说出感受、找到办法？一段五分钟的家庭情景示范。",
        "topics": ["emotions", "communication"],
        "ages": ["preschool", "primary"],
        "body": [
            media_note(ResourceKind.VIDEO),
            paragraph(
                "<h2>文字稿</h2>"
                "<p>晚饭前，七岁的乐乐因为积木倒了大哭大叫，把积木扔了一地。妈妈先深呼吸，蹲下来和乐乐平视。</p>"
                "<p>妈妈：“积木倒了，你很生气，对吗？”乐乐点点头，哭声小了一些。</p>"
                "<p>妈妈：“生气没关系，但扔东西会砸到人。我们先一起数到十，再想想怎么办。”</p>"
                "<p>平静下来后，妈妈和乐乐一起把积木捡起来，约定下次生气时先去“冷静角”抱一抱靠垫。</p>"
                "<h2>要点</h2><ol><li>家长先冷静；</li><li>说出孩子的感受；</li><li>划出行为的界限；</li><li>一起找到替代办法。</li></ol>"
            ),
        ],
    },
    {
        "slug": "video-online-safety-for-kids",
        "title": "视频：上网安全五件事",
        "kind": ResourceKind.VIDEO,
        "summary": "不透露个人信息、不随便加陌生人、不点陌生链接……用五个小故事，教孩子安全上网。",
        "topics": ["online-safety"],
        "ages": ["primary"],
        "body": [
            media_note(ResourceKind.VIDEO),
            paragraph(
                "<h2>文字稿</h2><ol>"
                "<li><b>保护个人信息</b>：姓名、学校、住址、照片，不在网上随便告诉别人。</li>"
                "<li><b>不见网友</b>：网上认识的人，不单独见面；有人约你见面，先告诉家长。</li>"
                "<li><b>不点陌生链接</b>：“免费皮肤”“中奖”多半是诈骗。</li>"
                "<li><b>不充值、不转账</b>：任何要求付钱的事，都要先问家长。</li>"
                "<li><b>遇到不舒服的内容</b>：马上关掉，告诉信任的大人。</li></ol>"
            ),
        ],
    },
    {
        "slug": "audio-bedtime-talks",
        "title": "音频：睡前十分钟亲子谈心",
        "kind": ResourceKind.AUDIO,
        "summary": "睡前是孩子最愿意说心里话的时候。这期节目分享三个睡前聊天的小问题，帮助家长走进孩子的一天。",
        "topics": ["communication", "emotions"],
        "ages": ["preschool", "primary"],
        "body": [
            media_note(ResourceKind.AUDIO),
            paragraph(
                "<h2>文字稿</h2>"
                "<p>关上大灯，留一盏小夜灯，孩子放松下来，话也就多了。不妨试试这三个问题：</p><ol>"
                "<li>“今天最开心的一件事是什么？”</li>"
                "<li>“今天有没有哪一刻让你觉得难过或者害怕？”</li>"
                "<li>“明天你最期待什么？”</li></ol>"
                "<p>孩子回答时，家长只需要听和回应感受。如果孩子说起被欺负、被威胁的事，第二天再找时间详细了解，"
                "并及时和老师沟通。</p>"
            ),
        ],
    },
    {
        "slug": "audio-exam-stress",
        "title": "音频：帮助青春期孩子应对考试压力",
        "kind": ResourceKind.AUDIO,
        "summary": "中考、高考前孩子焦虑失眠，家长怎样不添压力、真正帮上忙？心理老师的三点建议。",
        "topics": ["emotions", "puberty"],
        "ages": ["junior", "senior"],
        "body": [
            media_note(ResourceKind.AUDIO),
            paragraph(
                "<h2>文字稿</h2>"
                "<p><b>第一，接纳焦虑。</b>适度的紧张能让人集中注意力。告诉孩子“紧张很正常”，比“别紧张”更有用。</p>"
                "<p><b>第二，守住作息。</b>保证睡眠和三餐，每天留出运动和放松的时间。</p>"
                "<p><b>第三，少比较、多支持。</b>不拿孩子和别人比，把关注点放在孩子的努力上。</p>"
                "<p>如果孩子连续两周以上情绪低落、失眠、不想上学，甚至说出伤害自己的话，请尽快寻求专业帮助。</p>"
            ),
        ],
    },
    {
        "slug": "bullying-response-checklist",
        "title": "家长应对校园欺凌清单",
        "kind": ResourceKind.DOCUMENT,
        "summary": "发现孩子可能被欺凌后的十个步骤，可以打印出来贴在家里，也可以转发给其他家长。",
        "topics": ["bullying"],
        "ages": ["primary", "junior", "senior"],
        "document": (
            "家长应对校园欺凌清单.txt",
            "家长应对校园欺凌清单（演示资料）\n\n"
            "1. 保持冷静，先听孩子把话说完。\n"
            "2. 告诉孩子：这不是你的错，说出来是对的。\n"
            "3. 检查孩子是否受伤，必要时先就医。\n"
            "4. 记录时间、地点、涉及的人和经过。\n"
            "5. 保存照片、聊天记录、就医记录等证据。\n"
            "6. 联系班主任或学校防欺凌负责人，书面说明情况。\n"
            "7. 要求学校依规调查，并告知处理进展。\n"
            "8. 孩子受到威胁或伤害严重时，立即报警。\n"
            "9. 关注孩子的情绪，必要时寻求心理支持。\n"
            "10. 也可以在汇爱平台匿名报告，凭回执码查询进展。\n",
        ),
        "body": [
            paragraph(
                "<p>这份清单按顺序列出家长发现孩子可能被欺凌后可以做的事。每一步都不复杂，"
                "关键是不慌乱、不拖延，把孩子的安全放在第一位。</p>"
                "<p>清单是纯文本文件，手机和电脑都能直接打开。</p>"
            ),
        ],
    },
    {
        "slug": "family-screen-time-agreement",
        "title": "家庭电子产品使用约定（模板）",
        "kind": ResourceKind.DOCUMENT,
        "summary": "一份可以和孩子一起填写的约定模板：什么时候用、用多久、用在哪里，做不到怎么办。",
        "topics": ["online-safety", "communication"],
        "ages": ["primary", "junior"],
        "document": (
            "家庭电子产品使用约定.txt",
            "家庭电子产品使用约定（模板，演示资料）\n\n"
            "我们家的约定：\n"
            "一、每天使用手机、平板和电脑的时间：上学日 ____ 分钟，休息日 ____ 分钟。\n"
            "二、完成作业和家务之后再使用。\n"
            "三、吃饭时、睡前一小时不使用，手机放在客厅充电。\n"
            "四、下载新游戏或应用、充值付款之前，先和家长商量。\n"
            "五、遇到让人不舒服的信息，马上告诉家长。\n"
            "六、家长也遵守：陪孩子时不刷手机。\n"
            "七、做不到时：第二天的使用时间减少 ____ 分钟。\n\n"
            "孩子签名：________    家长签名：________    日期：________\n",
        ),
        "body": [
            paragraph("<p>规则由全家一起商量制定，孩子才更愿意遵守。建议每个学期回顾一次，根据孩子的年龄调整。</p>"),
        ],
    },
    {
        "slug": "school-anti-bullying-rules-guide",
        "title": "学校防欺凌工作制度指引（家长版）",
        "kind": ResourceKind.DOCUMENT,
        "summary": "学校接到欺凌报告后要做什么、多长时间内完成、家长可以怎样参与：一份简明的流程说明。",
        "topics": ["bullying", "law"],
        "ages": ["primary", "junior", "senior"],
        "document": (
            "学校防欺凌工作制度指引（家长版）.txt",
            "学校防欺凌工作制度指引（家长版，演示资料）\n\n"
            "一、报告：学生、家长和教职工都可以向学校报告疑似欺凌事件，也可以匿名报告。\n"
            "二、受理：学校接到报告后及时受理，并报区未成年人保护中心。\n"
            "三、调查：学校组织调查，了解事实经过，听取双方学生和家长的意见。\n"
            "四、认定：学生欺凌治理委员会认定是否构成欺凌，并告知双方家长。\n"
            "五、处置：对被欺凌学生提供保护和心理支持，对实施欺凌的学生进行教育和惩戒，必要时指定家庭教育课程。\n"
            "六、复查：对认定结果有异议的，可以在规定期限内申请复查。\n",
        ),
        "body": [
            paragraph(
                "<p>了解学校的处理流程，家长就知道什么时候该等待、什么时候该追问。"
                "每一步的具体时限以学校和区教育局的规定为准。</p>"
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


def ensure_library_index(home: HomePage) -> LibraryIndexPage:
    existing = LibraryIndexPage.objects.first()
    if existing is not None:
        return existing
    library_index = LibraryIndexPage(
        title="资源库",
        slug="library",
        intro="文章、视频、音频和可下载的资料，帮助家长和老师了解家庭教育、防范校园欺凌和未成年人保护。",
        show_in_menus=True,
    )
    home.add_child(instance=library_index)
    library_index.save_revision().publish()
    return library_index


def ensure_document(filename: str, text: str):
    """The handout of a document resource, looked up by title so it is uploaded once."""
    document_model = get_document_model()
    title = filename.rsplit(".", 1)[0]
    existing = document_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    content = text.encode("utf-8")
    document = document_model(title=title, file_size=len(content))
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def ensure_resource(library_index, spec: dict, number: int, topics, age_groups) -> tuple[ResourcePage, bool]:
    existing = ResourcePage.objects.child_of(library_index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing, False
    resource = ResourcePage(
        title=spec["title"],
        slug=spec["slug"],
        kind=spec["kind"],
        summary=spec["summary"],
        body=spec["body"],
        source=SOURCE,
        published_date=LATEST_DATE - datetime.timedelta(days=4 * number),
    )
    if "document" in spec:
        resource.document = ensure_document(*spec["document"])
    resource.topics = [topics[slug] for slug in spec["topics"]]
    resource.age_groups = [age_groups[slug] for slug in spec["ages"]]
    library_index.add_child(instance=resource)
    resource.save_revision().publish()
    return resource, True


@transaction.atomic
def create_demo_resources(stdout: TextIO | None = None) -> LibraryIndexPage:
    """Creates (or completes) the demo resource library; running it again changes nothing."""
    topics, age_groups = ensure_taxonomy()
    library_index = ensure_library_index(_home_page())
    for number, spec in enumerate(RESOURCES):
        resource, created = ensure_resource(library_index, spec, number, topics, age_groups)
        _write(stdout, f"{'Created' if created else 'Kept'} resource {resource.title}\n")
    return library_index
