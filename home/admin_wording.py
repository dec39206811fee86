"""Where Wagtail's own zh-hans wording misleads the people who work in the admin, ours wins.

The project's catalogue (``locale/``, first in ``LOCALE_PATHS``) is read before the catalogues
of installed apps, so a Wagtail message id translated there is shown with our wording
everywhere in the admin. The ids below are Wagtail's, marked here so that ``make
messages-extract`` keeps them in our catalogue; each comment says what Wagtail's translation
made people think. ``tests/home/test_admin_wording.py`` checks every one is in effect.
"""

from django.utils.translation import gettext_noop

ADMIN_WORDING = (
    # The page header's link to the published page and the "live" status read 「发布」, which
    # looks like the Publish action itself.
    gettext_noop("Live"),
    # 「实时查看」: "watch in real time".
    gettext_noop("View live"),
    # The menu's reports read 「报告」, the word the site uses for bullying reports.
    gettext_noop("Reports"),
    # 「提交给内容审核」 reads oddly; 「提交内容审核」 says what happens.
    gettext_noop("Submit to %(workflow_name)s"),
)
