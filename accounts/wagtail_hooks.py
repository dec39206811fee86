"""The audit-log action for consent to the privacy notice (``accounts.consent``)."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from accounts.consent import PRIVACY_CONSENT_ACTION


@hooks.register("register_log_actions")
def register_consent_action(actions):
    actions.register_action(PRIVACY_CONSENT_ACTION, _("Agree to the privacy notice"), _("Agreed to the privacy notice"))
