"""The workstations app's models: the station directory (``stations``) and guidance-station
appointments (``appointments``)."""

from .appointments import AppointmentSlot, Booking, SessionRecord
from .stations import StationService, Street, Workstation, WorkstationIndexPage, WorkstationMembership

__all__ = [
    "AppointmentSlot",
    "Booking",
    "SessionRecord",
    "StationService",
    "Street",
    "Workstation",
    "WorkstationIndexPage",
    "WorkstationMembership",
]
