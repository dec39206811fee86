"""Demo-like pages and the ≥ 40 queries parents and teachers type, each with the page it must find.

The pages are written the way editors write (欺凌, 网络沉迷, 困境未成年人); the queries the way
parents ask (霸凌, 玩手机, 孩子被同学欺负怎么办, traditional characters, pinyin).
"""

from __future__ import annotations

# slug: (title, intro, body)
PAGES = {
    "prevent-bullying": (
        "如何预防校园欺凌",
        "家长和老师怎样及早发现欺凌的苗头。",
        "校园欺凌包括肢体欺凌、言语欺凌、关系欺凌、网络欺凌和财物欺凌。孩子不愿上学、物品经常丢失、"
        "身上有不明伤痕，可能是遭受欺凌的信号。学校应当建立防欺凌工作制度。",
    ),
    "child-bullied": (
        "孩子在学校被欺负了，家长怎么做",
        "先倾听，再取证，及时联系学校。",
        "保持冷静，肯定孩子说出来的勇气；记录时间、地点和经过，保存聊天截图；与班主任和学校防欺凌负责人沟通，"
        "必要时向区未保中心报告。",
    ),
    "cyber-bullying": (
        "网络欺凌的识别与应对",
        "群聊孤立、恶意修图、散布谣言都是网络欺凌。",
        "教孩子截图保存证据，屏蔽并举报对方账号，不要以牙还牙。发现孩子情绪异常要及时沟通。",
    ),
    "internet-addiction": (
        "网络沉迷的表现与家庭干预",
        "孩子离不开手机游戏和短视频时，家长可以做什么。",
        "与孩子一起制定使用电子产品的规则，家长以身作则，多安排户外运动和亲子活动。沉迷游戏往往与学习压力和孤独有关。",
    ),
    "screen-time": (
        "合理安排屏幕时间",
        "不同年龄段孩子使用电子产品的建议。",
        "学龄前儿童每天屏幕时间不宜超过一小时，小学生看电视和平板要有固定时段，睡前一小时不使用电子屏幕。",
    ),
    "adolescent-communication": (
        "青春期亲子沟通的五个技巧",
        "孩子进入青春期变得叛逆、不听话，怎样说孩子才愿意听。",
        "少说教、多倾听，尊重孩子的隐私，先接纳情绪再讨论问题，约定家庭会议的时间。",
    ),
    "emotion-management": (
        "帮助孩子学会情绪管理",
        "孩子发脾气、哭闹时家长如何回应。",
        "先帮孩子说出自己的感受，教孩子深呼吸和暂停，家长自己也要管理好情绪，不在气头上做决定。",
    ),
    "school-refusal": (
        "孩子厌学怎么办",
        "孩子不想上学，先找到背后的原因。",
        "学习压力、同伴关系和师生关系都可能让孩子厌学。与老师合作，降低期望，帮助孩子重新找到学习的成就感。",
    ),
    "depression-signs": (
        "识别孩子的抑郁和焦虑",
        "心理健康的预警信号，家长要留心。",
        "持续情绪低落、失眠、食欲改变、不愿与人交往，甚至出现自伤念头，请及时寻求专业帮助，"
        "可以拨打 12355 青少年心理援助热线。",
    ),
    "sexual-abuse-prevention": (
        "防性侵教育从小开始",
        "教孩子认识身体边界。",
        "告诉孩子背心和短裤覆盖的地方是隐私部位，不保守让自己不舒服的秘密，遇到侵害要告诉信任的大人。",
    ),
    "mandatory-report": (
        "强制报告制度问答",
        "发现未成年人遭受侵害，必须立即报告。",
        "学校、医院、社区等单位的工作人员发现未成年人遭受虐待、遗弃、性侵害或严重欺凌的，应当立即向公安机关"
        "和区未保中心报告，报告人的信息依法保密。",
    ),
    "case-consultation": (
        "个案会商机制",
        "多部门联合研判，帮助处于困境的孩子。",
        "区未保中心组织民政、公安、法院、检察、教育等部门召开会商会议，明确每个部门的帮扶责任和时限。",
    ),
    "minors-in-difficulty": (
        "困境未成年人关爱帮扶",
        "风险评估与精准干预。",
        "对监护缺失、家庭经济困难、身患重病的未成年人进行风险评估，制定一人一策的帮扶方案，提供监护指导和心理疏导。",
    ),
    "court-guidance": (
        "涉诉未成年人家庭教育指导",
        "法院可以责令父母接受家庭教育指导。",
        "法院在审理案件时发现监护人失职的，可以发出家庭教育指导令，父母需要在规定期限内完成指定的家庭教育课程。",
    ),
    "family-education-law": (
        "家庭教育促进法要点",
        "父母是家庭教育的第一责任人。",
        "家庭教育促进法要求父母树立正确的家庭教育理念，合理运用亲自养育、共同参与、言传身教等方法。",
    ),
    "grandparents": (
        "隔代教育的常见误区",
        "爷爷奶奶、外公外婆带孩子，如何与父母形成合力。",
        "祖辈容易溺爱和包办，父母要和老人商量一致的规则，多表达感谢，少当着孩子的面争执。",
    ),
    "homework": (
        "陪孩子写作业不再吼叫",
        "帮助孩子养成专注的学习习惯。",
        "孩子写作业拖拉，常常是任务太大或注意力不集中。把作业拆成小块，定时休息，完成后及时肯定。",
    ),
    "sleep": (
        "保证孩子充足的睡眠",
        "睡眠不足会影响孩子的情绪和学习。",
        "小学生每天应睡足十小时，初中生九小时。固定作息时间，睡前不看手机，卧室保持安静。",
    ),
    "online-safety": (
        "保护孩子的个人信息",
        "网络安全与隐私保护。",
        "不随意在网上透露姓名、学校和住址，警惕网络诈骗和陌生人私信，遇到可疑情况先告诉家长。",
    ),
    "early-love": (
        "青春期早恋，家长怎么看",
        "理解孩子对异性的好感。",
        "发现孩子早恋，不要偷看日记或强行拆散，和孩子聊聊什么是尊重和责任。",
    ),
    "siblings": (
        "二孩家庭的兄弟姐妹关系",
        "孩子争宠、打架，父母怎样公平对待。",
        "给每个孩子单独相处的时间，不比较，不给大孩子贴标签，让孩子学会自己解决冲突。",
    ),
    "legal-alliance": (
        "徐汇普法教育联盟",
        "政法、教育、检察等部门共建法治教育共同体。",
        "联盟成员走进校园开展普法讲座、模拟法庭和法治副校长进课堂等活动，帮助学生学法、知法、守法。",
    ),
    "bullying-committee": (
        "学生欺凌治理委员会如何认定欺凌",
        "调查、认定和处理的程序。",
        "学校接到报告后开展调查，治理委员会在调查开始后十日内作出认定，并根据情节采取教育、心理辅导和纪律处分等措施。",
    ),
    "workstation-intro": (
        "街镇未保工作站能做什么",
        "13 个街镇未成年人保护工作站就在您身边。",
        "儿童督导员和儿童主任走访辖区家庭，接收求助和报告，链接心理、法律和社会组织的专业服务。",
    ),
    "guidance-station": (
        "社区家庭教育指导服务站点",
        "家长课堂和一对一家庭教育咨询。",
        "站点每月开设家长课堂，提供亲子活动和一对一咨询，家长可以就近报名参加。",
    ),
    "counselling": (
        "预约免费心理咨询",
        "专业心理老师为孩子和家长提供服务。",
        "心理咨询可以帮助孩子面对压力、失落和人际困扰。预约后，咨询师会在一周内与您联系。",
    ),
    "school-readiness": (
        "幼小衔接怎样准备",
        "从幼儿园到小学的入学准备。",
        "提前调整作息，培养孩子整理书包和自己上厕所的能力，不必提前学习小学课程。",
    ),
    "exam-stress": (
        "中考前的压力疏导",
        "孩子考试焦虑，家长怎么帮。",
        "不反复强调分数，帮孩子制定复习计划，保证睡眠和运动，考前一起做放松练习。",
    ),
    "first-phone": (
        "给孩子买第一部手机之前",
        "和孩子签一份家庭手机使用协议。",
        "约定使用时间和地点，开启未成年人模式，不在卧室充电，家长定期和孩子一起检查应用。",
    ),
    "verbal-bullying": (
        "给同学起绰号也是欺凌",
        "言语欺凌的危害常被低估。",
        "嘲笑外貌、辱骂、起侮辱性的外号，会让孩子自卑、孤立。家长要告诉孩子这不是玩笑，并教孩子如何回应。",
    ),
}

# The editors' synonym list used by these tests (the admin's SearchSynonym snippets).
SYNONYMS = {
    "欺凌": "霸凌, 欺负, baling, qiling",
    "网络沉迷": "网瘾, 玩手机, 沉迷手机, 上网成瘾",
    "困境未成年人": "困境儿童, 困难儿童",
    "隔代教育": "祖辈, 老人带孩子, 爷爷奶奶带",
    "强制报告": "举报虐待",
    "厌学": "不想上学, 不愿上学",
    "绰号": "外号",
}

# (query, slug that must be in the top 5)
QUERIES = [
    ("欺凌", "prevent-bullying"),
    ("校园欺凌", "prevent-bullying"),
    ("霸凌", "prevent-bullying"),
    ("预防欺凌", "prevent-bullying"),
    ("孩子被同学欺负怎么办", "child-bullied"),
    ("被欺负了家长怎么做", "child-bullied"),
    ("网络欺凌", "cyber-bullying"),
    ("群聊孤立", "cyber-bullying"),
    ("网瘾", "internet-addiction"),
    ("孩子总是玩手机", "internet-addiction"),
    ("孩子沉迷游戏", "internet-addiction"),
    ("屏幕时间", "screen-time"),
    ("青春期沟通", "adolescent-communication"),
    ("孩子叛逆不听话", "adolescent-communication"),
    ("孩子发脾气", "emotion-management"),
    ("情绪管理", "emotion-management"),
    ("孩子不想上学", "school-refusal"),
    ("厌学", "school-refusal"),
    ("抑郁", "depression-signs"),
    ("孩子焦虑失眠", "depression-signs"),
    ("心理援助热线", "depression-signs"),
    ("防性侵", "sexual-abuse-prevention"),
    ("身体边界", "sexual-abuse-prevention"),
    ("强制报告", "mandatory-report"),
    ("发现孩子被虐待要报告吗", "mandatory-report"),
    ("个案会商", "case-consultation"),
    ("困境儿童", "minors-in-difficulty"),
    ("风险评估", "minors-in-difficulty"),
    ("家庭教育指导令", "court-guidance"),
    ("法院要求父母上课", "court-guidance"),
    ("家庭教育促进法", "family-education-law"),
    ("爷爷奶奶带孩子", "grandparents"),
    ("隔代教育", "grandparents"),
    ("写作业拖拉", "homework"),
    ("孩子睡眠不足", "sleep"),
    ("个人信息保护", "online-safety"),
    ("网络诈骗", "online-safety"),
    ("早恋", "early-love"),
    ("兄弟姐妹打架", "siblings"),
    ("普法讲座", "legal-alliance"),
    ("普法教育联盟", "legal-alliance"),
    ("欺凌认定", "bullying-committee"),
    ("未保工作站", "workstation-intro"),
    ("家长课堂", "guidance-station"),
    ("心理咨询", "counselling"),
    ("幼小衔接", "school-readiness"),
    ("中考压力", "exam-stress"),
    ("给孩子买手机", "first-phone"),
    ("同学给孩子起外号", "verbal-bullying"),
    # traditional characters and pinyin
    ("校園霸凌", "prevent-bullying"),
    ("網癮", "internet-addiction"),
    ("親子溝通", "adolescent-communication"),
    ("baling", "prevent-bullying"),
    # punctuation and full-width characters are not words
    ("“强制报告”？！", "mandatory-report"),
]
