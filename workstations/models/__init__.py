"""The workstations app's models: the station directory (``stations``) and guidance-station
appointments (``appointments``) and street events (``events``)."""

from .appointments import AppointmentSlot, Booking, SessionRecord
from .events import EventSignup, StreetEvent
from .stations import StationService, Street, Workstation, WorkstationIndexPage, WorkstationMembership

__all__ = [
    "AppointmentSlot",
    "Booking",
    "EventSignup",
    "SessionRecord",
    "StationService",
    "StreetEvent",
    "Street",
    "Workstation",
    "WorkstationIndexPage",
    "WorkstationMembership",
]
