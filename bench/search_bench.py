# ruff: noqa: E501 - distractor sentences are long Chinese prose
"""Search benchmark: quality on the evaluation set and query latency at 5,000 searchable pages.

Quality: the evaluation set (``tests/search/evaluation``: articles written for it, loaded as
library resources, and ≥ 150 judged queries split into a tuning and a test half) is scored with
recall@5, MRR and nDCG@10 on both halves, once on the evaluation articles only and once with
every other page keeping its place in the list (``--pages 0``: the demo content only).

For each database (a temporary SQLite file, and the ``huiai_bench_search`` PostgreSQL database
on 127.0.0.1, created and dropped here) the script loads the demo content, adds the pages of
the search test set (``tests/search/corpus.py``) and its synonyms, then generates pages up to
``--pages`` searchable pages: realistic Chinese recombined from the demo's own sentences and
from a list of distractor topics (community news, health, sport, traffic …), so most pages do
not match the test queries while some mention them in passing. It builds the index once with
``update_index`` (timed), then runs every query of the test set ``--repeat`` times through
``search_pages()`` (what the /search/ view calls) and through the /search/ view itself
(Django's test Client, template included), and prints recall@5 and p50/p95/p99/max latency.

    make bench-search                # or: .venv/bin/python bench/search_bench.py --db both
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/huiai_bench_search"
KEPT_SQLITE = Path(tempfile.gettempdir()) / "huiai-search-bench.sqlite3"
RESULT_PREFIX = "SEARCH-BENCH-RESULT "
TOP = 5

# Distractors: what else a district family-services site publishes. None of these is about the
# test set's topics; the generated pages mix them with the demo's own sentences.
PLACES = [
    "天平路街道",
    "湖南路街道",
    "斜土路街道",
    "枫林路街道",
    "长桥街道",
    "田林街道",
    "虹梅路街道",
    "康健新村街道",
    "徐家汇街道",
    "凌云路街道",
    "龙华街道",
    "漕河泾街道",
    "华泾镇",
    "徐汇滨江",
    "区图书馆",
    "区青少年活动中心",
    "社区文化活动中心",
    "邻里汇",
    "区体育馆",
    "区妇幼保健所",
]
DISTRACTOR_TOPICS = [
    "儿童近视防控",
    "垃圾分类",
    "交通安全",
    "防溺水",
    "消防演练",
    "食品安全",
    "儿童营养",
    "口腔健康",
    "疫苗接种",
    "亲子阅读",
    "绘本共读",
    "科普展览",
    "非遗剪纸",
    "社区运动会",
    "少儿篮球",
    "游泳培训",
    "暑期托管",
    "冬令营",
    "志愿服务",
    "敬老助老",
    "邻里节",
    "植树活动",
    "城市探索",
    "博物馆研学",
    "书法体验",
    "合唱比赛",
    "围棋入门",
    "编程夏令营",
    "天文观测",
    "自然笔记",
    "旧物改造",
    "节能环保",
    "防灾减灾",
    "急救培训",
    "居家安全",
    "宠物文明饲养",
    "公园导览",
    "便民服务",
    "医保报销",
    "托育服务",
]
TITLE_PATTERNS = [
    "{place}{topic}活动回顾",
    "{topic}小贴士",
    "{place}开展{topic}主题活动",
    "{topic}：家长需要知道的几件事",
    "{place}{topic}报名通知",
    "{topic}常见问答",
    "{season}{topic}安排",
    "{place}{topic}服务指南",
]
SEASONS = ["春季", "暑期", "秋季", "寒假", "周末", "国庆"]
DISTRACTOR_SENTENCES = [
    "{place}本周六上午在{venue}举办{topic}活动，欢迎辖区居民带孩子一同参加。",
    "活动由{place}社区卫生服务中心和志愿者团队共同组织，现场提供咨询和体验。",
    "参加{topic}的家庭可以在{place}服务大厅领取活动手册和纪念品。",
    "{topic}讲座邀请了{expert}，结合实际案例讲解日常要点。",
    "报名请在工作日拨打社区服务电话，名额有限，额满为止。",
    "本次{topic}共有{number}户家庭参加，大家在游戏中学到了不少实用知识。",
    "{venue}开放时间为周二至周日 9:00–17:00，周一闭馆维护。",
    "{expert}提醒，{topic}要从日常小事做起，养成好习惯需要家长长期坚持。",
    "{place}将{topic}纳入今年的民生实事项目，计划在年底前覆盖全部居民区。",
    "请参加者穿着运动鞋，自带水杯，活动期间注意保管好随身物品。",
    "{topic}的报名材料包括户口簿复印件和一寸照片两张，可在线上提交。",
    "近年来，{place}持续推进{topic}，居民满意度逐年提高。",
    "{venue}新增了{topic}专区，配备了适合不同年龄段的展品和设施。",
    "小朋友们在老师的带领下分组完成任务，最后获得了{topic}小达人证书。",
    "活动结束后，{place}还组织了意见征集，收集居民对{topic}的建议。",
    "天气不佳时活动改在室内进行，具体安排以社区公众号通知为准。",
]
VENUES = [
    "社区文化活动中心",
    "邻里汇二楼多功能厅",
    "区图书馆少儿阅览室",
    "徐汇滨江绿地",
    "区青少年活动中心",
    "街道党群服务中心",
]
EXPERTS = [
    "区妇幼保健所的医生",
    "市消防救援支队的教官",
    "区体育局的教练",
    "区图书馆的阅读推广人",
    "社区卫生服务中心的护士长",
    "高校志愿者",
]
SECTIONS = [
    ("community-news", "社区动态"),
    ("street-notices", "街镇通知"),
    ("health", "健康生活"),
    ("activities", "亲子活动"),
    ("services", "便民服务"),
    ("volunteers", "志愿服务"),
    ("culture", "文化体育"),
    ("safety", "安全常识"),
]
# Topics of the distractor pages, added to the site's taxonomy: a page about park tours is not
# tagged 亲子沟通, so the test set's topic names only rank the pages that are about them.
DISTRACTOR_TAXONOMY = [
    ("bench-health", "健康生活"),
    ("bench-safety", "安全常识"),
    ("bench-culture", "文化体育"),
    ("bench-services", "便民服务"),
]


def log(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {
        "p50": statistics.median(values),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values),
        "n": len(values),
    }


# --- content -------------------------------------------------------------------------------
def demo_sentences() -> list[str]:
    """Sentences of the demo's courses, lessons, library and standard pages (not the test set's)."""
    from django.utils.html import strip_tags

    from wagtail.models import Page

    sentences = []
    for page in Page.objects.live().filter(depth__gt=2).specific():
        texts = [getattr(page, name, "") or "" for name in ("intro", "summary", "learning_objectives")]
        body = getattr(page, "body", None)
        if body is not None and hasattr(body, "stream_block"):
            texts += body.stream_block.get_searchable_content(body)
        for text in texts:
            for sentence in re.split(r"(?<=[。！？；])|\n", strip_tags(str(text))):
                sentence = sentence.strip()
                if 8 <= len(sentence) <= 120:
                    sentences.append(sentence)
    return sorted(set(sentences))


def distractor_sentence(rng: random.Random, topic: str) -> str:
    return rng.choice(DISTRACTOR_SENTENCES).format(
        place=rng.choice(PLACES),
        venue=rng.choice(VENUES),
        topic=topic,
        expert=rng.choice(EXPERTS),
        number=rng.randint(12, 180),
    )


def generated_text(rng: random.Random, sentences: list[str]) -> tuple[str, str, list[str]]:
    """A title, an introduction and body paragraphs: distractors, with demo sentences in some."""
    topic = rng.choice(DISTRACTOR_TOPICS)
    title = rng.choice(TITLE_PATTERNS).format(place=rng.choice(PLACES), topic=topic, season=rng.choice(SEASONS))
    intro = distractor_sentence(rng, topic)
    body = [
        distractor_sentence(rng, rng.choice([topic, topic, rng.choice(DISTRACTOR_TOPICS)]))
        for _ in range(rng.randint(2, 5))
    ]
    if rng.random() < 0.4:  # a family-education sentence in passing, as real pages have
        for _ in range(rng.randint(1, 2)):
            body.insert(rng.randint(0, len(body)), rng.choice(sentences))
    paragraphs = ["".join(body[index : index + 2]) for index in range(0, len(body), 2)]
    return title, intro, paragraphs


def searchable_pages():
    from wagtail.models import Page

    return Page.objects.live().public().filter(depth__gt=1)


def build_content(target: int, seed: int) -> dict:
    """Demo content, the test set's pages and synonyms, and generated pages up to ``target``."""
    from django.core.management import call_command
    from django.db import transaction

    from courses.models import CourseIndexPage, CoursePage
    from home.models import HomePage, StandardPage
    from library.models import LibraryIndexPage, ResourceKind, ResourcePage
    from search.analysis import normalise
    from search.models import SearchSynonym
    from taxonomy.models import Topic
    from tests.search.corpus import PAGES, SYNONYMS
    from tests.search.evaluation import load_articles

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"  migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("load_demo_content", "--skip-index", verbosity=0, stdout=quiet)
    demo_pages = searchable_pages().count()
    log(f"  demo content: {demo_pages} searchable pages in {time.perf_counter() - started:.1f} s")

    rng = random.Random(seed)
    sentences = demo_sentences()
    home = HomePage.objects.get()
    with transaction.atomic():
        for term, words in SYNONYMS.items():
            synonym, created = SearchSynonym.objects.get_or_create(term=term, defaults={"synonyms": words})
            if not created:
                merged = list(dict.fromkeys(synonym.variants() + [normalise(word) for word in words.split(",")]))
                synonym.synonyms = ", ".join(word for word in merged if word)
                synonym.save()
        faq = StandardPage(title="家长常见问题", slug="parent-questions", intro="家长最常问的家庭教育问题。")
        home.add_child(instance=faq)
        corpus = {}
        for slug, (title, intro, body) in PAGES.items():
            page = StandardPage(
                title=title,
                slug=slug,
                intro=intro,
                body=json.dumps([{"type": "paragraph", "value": f"<p>{body}</p>"}], ensure_ascii=False),
            )
            faq.add_child(instance=page)
            corpus[slug] = page.pk
        evaluation = load_articles(LibraryIndexPage.objects.get())

    started = time.perf_counter()
    sections = []
    with transaction.atomic():
        for slug, title in SECTIONS:
            section = StandardPage(title=title, slug=slug, intro=f"{title}：徐汇区各街镇的最新信息。")
            home.add_child(instance=section)
            sections.append(section)
    library = LibraryIndexPage.objects.get()
    catalogue = CourseIndexPage.objects.get()
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": 90})[0]
        for slug, name in DISTRACTOR_TAXONOMY
    ]
    missing = target - searchable_pages().count()
    children = {parent.pk: (parent, []) for parent in [*sections, library, catalogue]}
    for number in range(max(0, missing)):
        title, intro, paragraphs = generated_text(rng, sentences)
        body = json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs], ensure_ascii=False)
        kind = rng.random()
        if kind < 0.7:
            page = StandardPage(title=title, slug=f"page-{number:05d}", intro=intro, body=body)
            parent = rng.choice(sections)
        elif kind < 0.95:
            page = ResourcePage(
                title=title,
                slug=f"resource-{number:05d}",
                kind=ResourceKind.ARTICLE,
                summary=intro,
                body=body,
                source="徐汇区未成年人保护中心（演示）",
            )
            parent = library
        else:
            page = CoursePage(
                title=title,
                slug=f"course-{number:05d}",
                summary=intro,
                learning_objectives="\n".join(paragraphs[:2]),
                estimated_minutes=30,
            )
            parent = catalogue
        page.bench_topics = rng.sample(topics, 1) if kind >= 0.7 and rng.random() < 0.6 else []
        children[parent.pk][1].append(page)
    with transaction.atomic():
        for parent, pages in children.values():
            bulk_add_children(parent, pages)
    log(f"  generated {max(0, missing)} pages in {time.perf_counter() - started:.1f} s")
    return {"demo_pages": demo_pages, "corpus": corpus, "evaluation": evaluation, "sentences": len(sentences)}


def bulk_add_children(parent, pages: list) -> None:
    """Add live pages below ``parent`` in a few queries (``add_child`` takes ~10 per page).

    What ``add_child`` and ``save`` would set is set here: the tree path after the last child,
    depth, URL path, type, locale, live and publication dates. The base ``Page`` rows go in one
    bulk insert; each page type's own table gets its rows with the same primary keys, then the
    topics. No revisions: search reads live pages only.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from django.utils import timezone

    from wagtail.models import Page

    if not pages:
        return
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    for offset, page in enumerate(pages, start=1):
        page.path = Page._get_path(parent.path, parent.depth + 1, step + offset)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = ContentType.objects.get_for_model(page)
        page.locale_id = parent.locale_id
        page.live = True
        page.draft_title = page.title
        page.first_published_at = page.last_published_at = now
    base_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    rows = Page.objects.bulk_create(
        [Page(**{field.attname: getattr(page, field.attname) for field in base_fields}) for page in pages],
        batch_size=500,
    )
    by_model = {}
    for page, row in zip(pages, rows, strict=True):
        page.page_ptr_id = page.pk = row.pk
        by_model.setdefault(type(page), []).append(page)
    for model, objects in by_model.items():
        fields = list(model._meta.local_concrete_fields)
        for start in range(0, len(objects), 500):
            model._base_manager._insert(objects[start : start + 500], fields=fields, raw=True)
        if hasattr(model, "topics"):
            through = model.topics.through
            source = model.topics.field.m2m_field_name()
            target = model.topics.field.m2m_reverse_field_name()
            through.objects.bulk_create(
                [through(**{source: page, target: topic}) for page in objects for topic in page.bench_topics]
            )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def corpus_pages() -> dict[str, int]:
    from home.models import StandardPage

    faq = StandardPage.objects.get(slug="parent-questions")
    return dict(StandardPage.objects.child_of(faq).values_list("slug", "pk"))


def evaluation_pages() -> dict[str, int]:
    from library.models import ResourcePage
    from tests.search.evaluation import articles

    slugs = [article["slug"] for article in articles()]
    return dict(ResourcePage.objects.filter(slug__in=slugs).values_list("slug", "pk"))


def evaluation_figures(site) -> dict:
    """Both halves of the evaluation set, scored on the evaluation articles only and as listed."""
    from search.query import search_pages
    from tests.search.evaluation import evaluate, queries

    pages = evaluation_pages()
    cache: dict[str, list[int]] = {}
    paths: dict[str, list[str]] = {}

    def ranked_ids(query: str) -> list[int]:
        if query not in cache:
            results = search_pages(query, site=site).results
            cache[query] = [page.pk for page in results]
            paths[query] = [page.url_path for page in results[:10]]  # to compare the databases' orders
        return cache[query]

    figures: dict = {"top10": paths}
    for label, only in (("evaluation articles only", True), ("with the other pages", False)):
        scores = evaluate(ranked_ids, pages, queries(), only_evaluation=only)
        figures[label] = {key: value.as_dict() for key, value in scores.items()}
        figures[label]["misses"] = {half: scores[half].misses for half in ("tune", "test")}
    return figures


# --- measuring -----------------------------------------------------------------------------
RANKING_TABLES = ("search_searchposting", "search_searchdocument", "search_searchword")


def index_size() -> int:
    """Bytes the ranking index takes on disk, its B-tree indexes included."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT sum(pg_total_relation_size(name::regclass)) FROM unnest(%s::text[]) AS name",
                [list(RANKING_TABLES)],
            )
            return int(cursor.fetchone()[0] or 0)
        # SQLite: the dbstat virtual table (compiled into Python's SQLite) counts pages per table/index.
        cursor.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name IN (%s, %s, %s))",
            list(RANKING_TABLES),
        )
        return int(cursor.fetchone()[0] or 0)


def measure(database: str, arguments) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from wagtail.models import Site

    from search.query import search_pages
    from tests.search.corpus import QUERIES

    if arguments.reuse:
        content = {"demo_pages": None, "corpus": corpus_pages(), "evaluation": evaluation_pages()}
        index_seconds = float("nan")
        pages = searchable_pages().count()
        log(f"  reusing the kept database: {pages} searchable pages, index as it was built")
    else:
        content = build_content(arguments.pages, arguments.seed)
        pages = searchable_pages().count()
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("update_index", verbosity=0, stdout=quiet)
        index_seconds = time.perf_counter() - started
        log(f"  indexed {pages} searchable pages in {index_seconds:.1f} s")

    index_bytes = index_size()
    log(f"  ranking index: {index_bytes / 1e6:.1f} MB (postings, documents, words, with their indexes)")
    with connection.cursor() as cursor:
        # Planner statistics, as autovacuum keeps them on a live database: without them PostgreSQL
        # guesses one row per table after the bulk load and loops over every page (2-3x slower).
        cursor.execute("ANALYZE")
    site = Site.objects.get(is_default_site=True)
    corpus = content["corpus"]
    search_pages("欺凌", site=site)  # jieba's dictionary loads once per process, not per query
    misses = []
    for query, slug in QUERIES:
        top = [page.pk for page in search_pages(query, site=site).results[:TOP]]
        if corpus[slug] not in top:
            titles = dict(searchable_pages().filter(pk__in=top).values_list("pk", "title"))
            misses.append({"query": query, "wanted": slug, "got": [titles[pk] for pk in top]})
    recall = (len(QUERIES) - len(misses)) / len(QUERIES)
    evaluation = evaluation_figures(site)

    from search.query import suggestions

    suggest_ms = []
    for query, _slug in QUERIES:
        for size in (1, 2, 3):  # as the parent types
            started = time.perf_counter()
            suggestions(query[:size], site=site)
            suggest_ms.append((time.perf_counter() - started) * 1000)

    function_ms, page_ms = [], []
    client = Client()
    for query, _slug in QUERIES:
        client.get("/search/", {"q": query})  # the query's hit counter exists, as on a live site
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            search_pages(query, site=site)
            function_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            page_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"/search/?q={query} answered {response.status_code}")
    return {
        "database": database,
        "pages": pages,
        "demo_pages": content["demo_pages"],
        "index_seconds": index_seconds,
        "index_bytes": index_bytes,
        "queries": len(QUERIES),
        "repeat": arguments.repeat,
        "recall": recall,
        "misses": misses,
        "evaluation": evaluation,
        "function": summary(function_ms),
        "page": summary(page_ms),
        "suggest": summary(suggest_ms),
    }


def child(database: str, arguments) -> None:
    """Runs in its own process: Django is set up once per process, so once per database."""
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search_settings"
    sys.path.insert(0, str(REPO_DIR))
    if database == "sqlite" and (arguments.keep_database or arguments.reuse):
        if not arguments.reuse:
            arguments.sqlite_file.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{arguments.sqlite_file}"
        result = measure(database, arguments)
        log(f"  kept {arguments.sqlite_file}")
    elif database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="huiai-search-bench-") as directory:
            os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
            result = measure(database, arguments)
    else:
        url = arguments.database_url
        if not arguments.reuse:
            recreate_database(url)
        os.environ["DATABASE_URL"] = url
        try:
            result = measure(database, arguments)
        finally:
            from django.db import connections

            connections.close_all()
            if not (arguments.keep_database or arguments.reuse):
                drop_database(url)
    report([result])  # here too, so that a later failure does not lose this database's figures
    log(RESULT_PREFIX + json.dumps(result, ensure_ascii=False))


def admin_connection(url: str):
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(results: list[dict]) -> None:
    log("")
    log(
        f"Search at {results[0]['pages']:,} searchable pages; {results[0]['queries']} queries × {results[0]['repeat']} runs each"
    )
    log(
        f"{'database':<11}{'pages':>7}{'index s':>9}{'index MB':>9}{'recall@5':>10}   {'what':<16}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"
    )
    for result in results:
        for label, key in (("search_pages()", "function"), ("/search/ page", "page"), ("suggestions()", "suggest")):
            if key not in result:
                continue
            figures = result[key]
            head = (
                f"{result['database']:<11}{result['pages']:>7}{result['index_seconds']:>9.1f}"
                f"{result.get('index_bytes', 0) / 1e6:>9.1f}{result['recall']:>10.1%}"
                if key == "function"
                else " " * 46
            )
            log(
                f"{head}   {label:<16}{figures['p50']:>8.1f}{figures['p95']:>8.1f}{figures['p99']:>8.1f}{figures['max']:>8.1f}"
            )
    log("")
    log("Evaluation set (tests/search/evaluation): recall@5 / MRR / nDCG@10")
    log(f"{'database':<11}{'scored on':<28}{'half':<6}{'queries':>8}{'recall@5':>10}{'MRR':>8}{'nDCG@10':>9}")
    for result in results:
        for label, scores in result["evaluation"].items():
            if label == "top10":
                continue
            for half in ("tune", "test"):
                row = scores[half]
                log(
                    f"{result['database']:<11}{label:<28}{half:<6}{row['queries']:>8}{row['recall@5']:>10.3f}{row['mrr']:>8.3f}{row['ndcg@10']:>9.3f}"
                )
    tops = [result["evaluation"].get("top10") for result in results]
    if len(tops) == 2 and all(tops):
        same = sum(tops[0].get(query) == tops[1].get(query) for query in tops[0])
        log(f"Same first 10 results, in the same order, on both databases: {same} of {len(tops[0])} queries")
        for query in tops[0]:
            if tops[0].get(query) != tops[1].get(query):
                log(f"  differs: {query!r}")
    for result in results:
        scores = result["evaluation"]["with the other pages"]
        kinds = sorted(key for key in scores if key.startswith("kind:"))
        log(
            f"{result['database']} by kind (both halves, with the other pages): "
            + ", ".join(f"{key[5:]} {scores[key]['recall@5']:.2f}/{scores[key]['mrr']:.2f}" for key in kinds)
        )
    for result in results:
        # The tuning half's misses only: the test half's are not for looking at while tuning.
        for query, top in result["evaluation"]["with the other pages"]["misses"]["tune"]:
            log(f"  {result['database']} tuning-half miss: {query!r} top {TOP}: {top}")
        for miss in result["misses"]:
            log(f"  {result['database']} miss: {miss['query']!r} wanted {miss['wanted']}, top {TOP}: {miss['got']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pages", type=int, default=5000, help="searchable pages in the index (default 5000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query (default 5)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SEARCH_DATABASE_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument(
        "--keep-database", action="store_true", help=f"keep the databases (SQLite: {KEPT_SQLITE}) for --reuse"
    )
    parser.add_argument("--sqlite-file", type=Path, default=KEPT_SQLITE, help="where --keep-database keeps SQLite")
    parser.add_argument("--reuse", action="store_true", help="measure the databases kept by --keep-database again")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.db, arguments)
        return

    databases = ["sqlite", "postgres"] if arguments.db == "both" else [arguments.db]
    results = []
    for database in databases:
        log(f"{database}:")
        command = [sys.executable, str(Path(__file__).resolve()), "--child", "--db", database]
        command += ["--pages", str(arguments.pages), "--repeat", str(arguments.repeat), "--seed", str(arguments.seed)]
        command += ["--database-url", arguments.database_url] + (["--keep-database"] if arguments.keep_database else [])
        command += ["--reuse"] if arguments.reuse else []
        command += ["--sqlite-file", str(arguments.sqlite_file)]
        environment = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment, cwd=REPO_DIR) as process:
            for line in process.stdout:
                if line.startswith(RESULT_PREFIX):
                    results.append(json.loads(line[len(RESULT_PREFIX) :]))
                else:
                    sys.stdout.write(line)
                    sys.stdout.flush()
        if process.returncode:
            raise SystemExit(f"the {database} run failed ({process.returncode})")
    report(results)
    if arguments.json:
        arguments.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
