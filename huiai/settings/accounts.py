"""django-allauth and its two-step verification (MFA): sign-in methods, rate limits, forms.

Imported by ``huiai/settings/base.py``; nothing here reads the environment (base.py does).
"""

from typing import Literal

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# "Send a new code" on the code pages (two resends per code; the rate limits below still apply,
# and the page counts down 60 s before offering it: templates/account/base_confirm_code.html).
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "【汇爱】"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS: dict[str, str] | Literal[False] = {  # False (tests): no limits
    "login": "30/m/ip",
    # "key" is the client address with the login typed (accounts.adapter): never the account
    # alone, so nobody elsewhere can lock a member of staff out by failing on their behalf.
    "login_failed": "10/m/ip,100/h/ip,5/5m/key",
    "signup": "10/m/ip,50/h/ip",
    "request_login_code": "10/m/ip,3/m/key,10/h/key",
    "verify_phone": "1/30s/key,3/m/ip,10/h/key",
    "change_phone": "1/m/user",
    "confirm_email": "1/3m/key",
    "reset_password": "10/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_FORMS = {
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
    "signup": "accounts.forms.SignupForm",
    "confirm_login_code": "accounts.forms.ConfirmLoginCodeForm",
    "verify_phone": "accounts.forms.VerifyPhoneForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "汇爱 Huiai"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
