"""Demo search synonyms: the words parents type for the words the site's content uses."""

from __future__ import annotations

from .models import SearchSynonym

DEMO_SYNONYMS = {
    "欺凌": "霸凌, 欺负, 被打, 孤立, baling, qiling",
    "网络沉迷": "网瘾, 玩手机, 沉迷手机, 沉迷游戏, 上网成瘾",
    "困境未成年人": "困境儿童, 困难儿童",
    "隔代教育": "祖辈, 老人带孩子, 爷爷奶奶带",
    "强制报告": "举报虐待, 报告侵害",
    "厌学": "不想上学, 不愿上学",
    "心理健康": "心理问题, 抑郁, 焦虑",
    "未成年人保护工作站": "未保站, 工作站在哪",
}


def create_demo_synonyms() -> list[SearchSynonym]:
    """Create the demo synonyms that do not exist yet; editors' own entries are left alone."""
    return [
        SearchSynonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms})[0]
        for term, synonyms in DEMO_SYNONYMS.items()
    ]
