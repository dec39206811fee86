from core.errors import DomainError


class GuidanceError(DomainError):
    """A guidance rule refused an action; ``message`` is shown to the person who asked."""


class InvitationError(GuidanceError):
    """A guardian's link is unknown, used, expired, or opened from another phone's account."""
