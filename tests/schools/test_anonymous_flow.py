"""The anonymous report form as a guided flow, and its receipt.

The server's side of the flow: the fewest required answers (a school and a few words), errors
in the GOV.UK error-summary pattern linked to their fields, every question on one page for
browsers without JavaScript, a quick-exit link on every anonymous page, nothing stored before
"Send", and a receipt that says what happens next with the code in short groups. The screens,
Back, the draft in the browser and the quick exit's clearing are walked in Chromium
(tests/e2e/test_case_journeys.py).
"""

from __future__ import annotations

import re

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from schools import receipts
from schools.anonymous_forms import AnonymousReportForm
from schools.models import AnonymousReceipt, BullyingReport

pytestmark = pytest.mark.django_db
REPORT = reverse("schools:anonymous_report")
RECEIPT = reverse("schools:anonymous_receipt")


def test_a_school_and_the_words_有人欺负我_are_enough_for_a_report(client, school_a):
    response = client.post(REPORT, {"school": school_a.pk, "narrative": "有人欺负我"})

    assert response.status_code == 302 and response["Location"] == RECEIPT
    report = BullyingReport.objects.get()
    assert report.narrative == "有人欺负我"
    assert AnonymousReceipt.objects.get(report=report).reporter_kind == ""


def test_only_the_school_and_what_happened_are_required():
    form = AnonymousReportForm()

    assert [name for name, field in form.fields.items() if field.required] == ["school", "narrative"]


def test_errors_are_listed_at_the_top_and_link_to_their_fields(client, school_a):
    response = client.post(REPORT, {"narrative": "  ", "incident_date": "2999-01-01"})

    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index("error-summary") : html.index("</ul>", html.index("error-summary"))]
    assert escape(gettext("There is a problem")) in summary
    for anchor, message in [
        ("#id_school", gettext("Choose the school it is about.")),
        ("#id_narrative", gettext("Tell us what happened. A few words are enough.")),
        ("#id_incident_date", gettext("The date cannot be in the future.")),
    ]:
        assert f'<a href="{anchor}">{escape(message)}</a>' in summary
    assert escape(gettext("This field is required.")) not in html
    assert 'id="id_narrative"' in html and 'aria-describedby="id_narrative_helptext id_narrative_error"' in html


def test_without_javascript_every_question_and_the_send_button_are_on_one_page(client):
    html = client.get(REPORT).content.decode()

    for name in ("school", "narrative", "bullying_types", "injury", "incident_date", "place", "reporter_kind"):
        assert f'name="{name}"' in html
    assert html.count('data-step="') == len(AnonymousReportForm.STEPS) + 1
    assert html.index('name="attachment"') < html.index(escape(gettext("Send the report")))
    # The screens' navigation is hidden until the script shows it.
    assert re.search(r'class="flow-nav" data-flow-nav hidden', html)


@pytest.mark.parametrize("name", ["anonymous_report", "anonymous_status"])
def test_every_anonymous_page_has_a_quick_exit_to_the_neutral_page(client, settings, name):
    settings.SCHOOLS_QUICK_EXIT_URL = "https://neutral.example/weather"

    html = client.get(reverse(f"schools:{name}")).content.decode()

    assert re.search(
        r'<a class="quick-exit" href="https://neutral.example/weather" rel="noreferrer noopener" data-quick-exit>', html
    )
    assert "js/schools/quick-exit" in html


def test_opening_the_form_stores_nothing_on_the_server(client):
    response = client.get(REPORT)

    assert response.status_code == 200
    assert not Session.objects.exists() and "sessionid" not in response.cookies
    assert not BullyingReport.objects.exists()
    assert response["Cache-Control"].count("no-store") == 1


def test_the_receipt_shows_the_code_in_groups_of_three_and_what_happens_next(client, school_a, settings):
    settings.SCHOOLS_QUICK_EXIT_URL = "https://neutral.example/weather"
    client.post(REPORT, {"school": school_a.pk, "narrative": "有人欺负我"})
    code = client.cookies["huiai_receipt_once"].value

    html = client.get(RECEIPT).content.decode()

    groups = re.findall(r'<span class="receipt-code__group">([A-Z2-9]+)</span>', html)
    assert "-".join(groups) == code and [len(group) for group in groups] == [3] * 7
    assert f'data-code="{code}"' in html and "data-copy-target" in html
    assert escape(gettext("What happens next")) in html
    assert escape(gettext("If the school needs to act")) in html
    assert f'href="{reverse("schools:anonymous_status")}"' in html  # the way back in
    assert "https://neutral.example/weather" in html
    assert len(receipts.normalise(code)) == receipts.LENGTH


def test_quick_exit_on_an_open_report_closes_it_on_this_device_and_leaves(client, school_a, settings):
    settings.SCHOOLS_QUICK_EXIT_URL = "https://neutral.example/weather"
    client.post(REPORT, {"school": school_a.pk, "narrative": "有人欺负我"})
    code = client.cookies["huiai_receipt_once"].value
    client.post(reverse("schools:anonymous_status"), {"code": code})
    case = client.get(reverse("schools:anonymous_case")).content.decode()
    assert f'action="{reverse("schools:anonymous_leave")}" data-quick-exit-form' in case

    response = client.post(reverse("schools:anonymous_leave"), {"quick_exit": "1"})

    assert response.status_code == 302 and response["Location"] == "https://neutral.example/weather"
    assert response.cookies["huiai_reporter"]["max-age"] == 0
    assert client.get(reverse("schools:anonymous_case"))["Location"] == reverse("schools:anonymous_status")
