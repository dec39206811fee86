"""Turn Chinese text into space-separated words, for the index and for queries alike.

Wagtail's database backends (SQLite FTS5, PostgreSQL ``to_tsvector``) split text on spaces and
punctuation only, so a run of Chinese characters is one "word" and 欺凌 never matches
如何预防校园欺凌. Segmenting with jieba before the text reaches the backend, and segmenting
the query the same way, makes every backend see the same words. Elasticsearch/OpenSearch
receive the same segmented text, which their analysers handle just as well.

jieba's dictionary takes about a second to load, so it is loaded once, lazily, on first use.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path

DICTIONARY = Path(__file__).with_name("dictionary.txt")

_tokenizer = None
_lock = threading.Lock()

# Common traditional characters in parents' questions, mapped to the simplified ones the
# content is written in. Not a full converter: enough for the words this site is about.
_TRADITIONAL = (
    "學習與護導會為們這說問題麼辦負網癮機課報兒親溝電話"
    "處權長寫聽讀書對應該發現傷時間關係愛匯滙園師諮詢點"
    "樣嗎個爲過還沒難歡頭幫見視頻遊戲戀緒壓憂鬱慮厭罵諷"
    "綽號勢傳謠裡體錢財團隊歲齡嬰專業門區鎮務覽規則條聯"
    "講節紀錄將從裏樂覺變邊戶開讓協調檢審絡錯誤積極陪聽"
    "費頁畫線動製與級"
)
_SIMPLIFIED = (
    "学习与护导会为们这说问题么办负网瘾机课报儿亲沟电话"
    "处权长写听读书对应该发现伤时间关系爱汇汇园师咨询点"
    "样吗个为过还没难欢头帮见视频游戏恋绪压忧郁虑厌骂讽"
    "绰号势传谣里体钱财团队岁龄婴专业门区镇务览规则条联"
    "讲节纪录将从里乐觉变边户开让协调检审络错误积极陪听"
    "费页画线动制与级"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

_SPACES = re.compile(r"\s+")


def _load():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(DICTIONARY))
                _tokenizer = tokenizer
    return _tokenizer


def preload() -> None:
    """Loads the dictionaries a process's first search would wait for: jieba's, and pypinyin's
    (``postings.pinyin_of``, for the spelling corrections; its phrase dictionary is the slower).
    gunicorn calls it as each worker starts (deploy/gunicorn.conf.py): under load the first search
    of each worker waited 5-20 s, holding the worker."""
    _load()
    import pypinyin  # noqa: F401 - loads its dictionaries on import


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), traditional to simplified for common characters, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACES.sub(" ", text.translate(_TO_SIMPLIFIED)).strip().lower()


def is_word(token: str) -> bool:
    """True when the token holds a letter or digit: punctuation and symbols are dropped."""
    return any(unicodedata.category(char)[0] in "LN" for char in token)


def words(text: str, *, for_search: bool = True) -> list[str]:
    """The words of ``text``: jieba's search mode (a long word and its shorter parts) by default."""
    text = normalise(text)
    if not text:
        return []
    tokenizer = _load()
    tokens = _search_mode(tokenizer, text) if for_search else tokenizer.cut(text)
    return [token for token in (token.strip() for token in tokens) if token and is_word(token)]


def _search_mode(tokenizer, text: str):
    """Like jieba's ``cut_for_search``, but with every dictionary sub-word, not only 2- and 3-grams,
    so 未成年人保护 also yields 未成年人 and 家庭教育指导 yields 家庭教育."""
    for word in tokenizer.cut(text):
        for size in range(2, len(word)):
            for start in range(len(word) - size + 1):
                part = word[start : start + size]
                if tokenizer.FREQ.get(part):
                    yield part
        yield word


def segment(text: str) -> str:
    """Index-time form of ``text``: its words separated by single spaces."""
    return " ".join(words(text))


def flatten(value) -> str:
    """Search-field values may be strings, lists (StreamField) or dicts; make one string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return flatten(list(value.values()))
    if isinstance(value, Iterable):
        return " ".join(flatten(item) for item in value)
    return str(value)


_converters: dict[str, object] = {}


def _opencc(config: str):
    converter = _converters.get(config)
    if converter is None:
        from opencc import OpenCC

        converter = _converters[config] = OpenCC(config)
    return converter


def to_simplified(text: str) -> str:
    """Traditional to Simplified with Taiwan usage (OpenCC ``tw2sp``: 網路 -> 网络, 軟體 -> 软件).

    For queries: the content is written in simplified characters already. Text without
    traditional characters is left alone (``tw2sp`` would turn the simplified 么 into 幺).
    Conversion counts as normalisation, not as an expansion: it is the word the parent typed,
    in the site's script.
    """
    if _opencc("t2s").convert(text) == text:
        return text
    return _opencc("tw2sp").convert(text.replace("么", "麼"))
