"""The alliance's tests use the schools suite's outbox and cache fixtures.

Registrations send text messages and the registration form is rate limited.
"""

from tests.schools.conftest import empty_cache, sms_outbox  # noqa: F401  (fixtures, used by name)
