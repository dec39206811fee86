"""Wagtail: the admin, search backend, documents, images and lesson media, sign-in URLs.

Imported by ``huiai/settings/base.py``; nothing here reads the environment (base.py does).
"""

WAGTAIL_SITE_NAME = "汇爱 Huiai"
# No Gravatar: admin avatars never load from an outside origin (and never leak e-mail hashes).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No call from the admin to releases.wagtail.org: nothing in the admin loads from outside.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# An approved review publishes the page even when the last reviewer may not publish alone (home/moderation.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "home.moderation.publish_approved"
WAGTAIL_I18N_ENABLED = False
# Wagtail's database backend, with relevance ordering that scales on SQLite (search/backend.py);
# Elasticsearch/OpenSearch can replace it here without other changes.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}
# Handouts, plus the video and audio files lessons play (core.blocks.MediaBlock).
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "m4a", "mp3", "mp4", "webm"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every document is checked by content on upload (core/wagtail_forms.py): a PDF must parse and
# carry no scripts or actions (teachers' handouts reach parents), other files must match their
# extension.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.wagtail_forms.SafeDocumentForm"
# Wagtail decodes the original picture to make every rendition: bound what that may allocate.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Video and audio items (wagtailmedia), the preferred source of a lesson's player: formats that
# play in the browsers parents use (WeChat's included) without a plug-in. Files are served with
# byte ranges and collection privacy by ``core.media.serve_media``.
WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    "AUDIO_EXTENSIONS": ["m4a", "mp3"],
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
    # Files checked by content on upload (core/wagtail_forms.py).
    "MEDIA_FORM_BASE": "core.wagtail_forms.SafeMediaForm",
}
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset goes through allauth
# Password changes too (allauth's, rate limited and notified): Wagtail's account page drops its panel.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Private pages and documents send visitors to the site's own sign-in, not Wagtail's bare form.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
