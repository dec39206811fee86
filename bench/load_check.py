"""After a load run: is everything the server accepted in the database, and was every notification sent once?

    .venv/bin/python bench/load_check.py var/load/run-YYYYMMDD-HHMMSS     # load_run.py runs it itself

Reads the run's ``receipts.jsonl`` (what locust recorded as accepted: a report answered by the
redirect to its case, with the form token it carried; a progress save answered 200 with the
position saved) and ``sent.jsonl`` (what the SMS gateway and mail server received), and looks
in the database (DATABASE_URL) for:

- every accepted report, submitted (not a draft), with its form token and a case number;
- every accepted progress save: the parent's record on that lesson at that position or later
  (a parent's position only moves forward in the scenario);
- every outbox row written during the run sent, and received exactly once (e-mail by its
  Message-ID, which names the row; text messages by recipient and text).

Prints the figures and each problem; exits 1 when there is one.
"""

from __future__ import annotations

import collections
import json
import os
import re
import sys
from pathlib import Path

MESSAGE_ID = re.compile(r"<notification-(\d+)\.")


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check(database_url: str, run_dir: Path, *, since: float | None = None) -> list[str]:
    import psycopg

    if since is None:
        since = float((run_dir / "started").read_text())
    receipts = _lines(run_dir / "receipts.jsonl")
    sent = _lines(run_dir / "sent.jsonl")
    problems: list[str] = []
    with psycopg.connect(database_url, autocommit=True) as connection:
        problems += _reports(connection, [r for r in receipts if r["kind"] == "report"], since)
        problems += _progress(connection, [r for r in receipts if r["kind"] == "progress"])
        problems += _outbox(connection, sent, since)
    for problem in problems[:40]:
        print(f"PROBLEM: {problem}")
    print(
        f"{len(problems)} problems"
        if problems
        else "no problem: everything accepted is stored, every notification sent once"
    )
    return problems


def _reports(connection, accepted: list[dict], since: float) -> list[str]:
    ids = [receipt["case"] for receipt in accepted]
    stored = {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT id, draft_token::text, state, case_number FROM schools_bullyingreport WHERE id = ANY(%s)", [ids]
        )
    }
    problems = []
    for receipt in accepted:
        row = stored.get(receipt["case"])
        if row is None:
            problems.append(f"report {receipt['case']} accepted but not in the database")
        elif row[0] != receipt["draft_token"] or row[1] == "draft" or not row[2]:
            problems.append(f"report {receipt['case']} stored as {row} (sent with form token {receipt['draft_token']})")
    during = connection.execute(
        "SELECT count(*) FILTER (WHERE state <> 'draft'), count(*) FROM schools_bullyingreport "
        "WHERE created_at >= to_timestamp(%s)",
        [since],
    ).fetchone()
    print(
        f"reports: {len(accepted)} accepted, {len(accepted) - len(problems)} found submitted with their form token; "
        f"{during[0]} submitted during the run in all ({during[1] - during[0]} drafts; a submission whose answer "
        f"did not reach the client is stored without a receipt)"
    )
    return problems


def _progress(connection, accepted: list[dict]) -> list[str]:
    furthest: dict[tuple[int, int], float] = collections.defaultdict(float)
    for receipt in accepted:
        key = (receipt["parent"], receipt["lesson"])
        furthest[key] = max(furthest[key], float(receipt["position"]))
    parents = sorted({parent for parent, _lesson in furthest})
    stored = {
        (row[0], row[1]): row[2]
        for row in connection.execute(
            "SELECT parent_id, lesson_id, position_seconds FROM courses_lessonprogress WHERE parent_id = ANY(%s)",
            [parents],
        )
    }
    problems = []
    for (parent, lesson), position in sorted(furthest.items()):
        found = stored.get((parent, lesson))
        if found is None or found + 0.05 < position:
            problems.append(f"progress of parent {parent} on lesson {lesson}: accepted at {position} s, stored {found}")
    print(
        f"progress saves: {len(accepted)} accepted for {len(furthest)} parent-lessons; "
        f"{len(furthest) - len(problems)} stored at the accepted position or later"
    )
    return problems


def _outbox(connection, sent: list[dict], since: float) -> list[str]:
    rows = connection.execute(
        "SELECT id, channel, address, body, sent_at IS NOT NULL, attempts FROM schools_notification "
        "WHERE created_at >= to_timestamp(%s)",
        [since],
    ).fetchall()
    emails = collections.Counter(
        int(found.group(1))
        for record in sent
        if record["channel"] == "email" and (found := MESSAGE_ID.search(record["message_id"]))
    )
    texts = collections.Counter((record["to"], record["body"]) for record in sent if record["channel"] == "sms")
    same_text = collections.Counter((row[2], row[3]) for row in rows if row[1] == "sms")
    problems = []
    once = retried = 0
    for pk, channel, address, body, is_sent, attempts in rows:
        received = emails[pk] if channel == "email" else texts[(address, body)] / same_text[(address, body)]
        retried += attempts > 1
        if not is_sent:
            problems.append(f"notification {pk} ({channel}) not sent")
        elif received == 1:
            once += 1
        else:
            problems.append(f"notification {pk} ({channel} to {address}) received {received:g} times")
    print(
        f"outbox: {len(rows)} notifications written during the run, {sum(row[4] for row in rows)} sent, "
        f"{once} received exactly once, {retried} needed more than one attempt"
    )
    return problems


if __name__ == "__main__":
    sys.exit(1 if check(os.environ["DATABASE_URL"], Path(sys.argv[1])) else 0)
