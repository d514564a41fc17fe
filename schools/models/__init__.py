from .action_plan import Action, ActionStatus, ActionUpdate, Progress, Risk
from .register import ImportStatus, SchoolRegisterImport
from .school import LocalAuthority, School, StaffMember, StaffRole
from .visits import (
    SLE_HOURS_PER_DAY,
    PhotoStatus,
    RecordOfVisit,
    VisitKind,
    VisitLength,
    VisitPhoto,
)

__all__ = [
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "PhotoStatus",
    "Progress",
    "Risk",
    "VisitPhoto",
    "SLE_HOURS_PER_DAY",
    "ImportStatus",
    "LocalAuthority",
    "RecordOfVisit",
    "School",
    "SchoolRegisterImport",
    "StaffMember",
    "StaffRole",
    "VisitKind",
    "VisitLength",
]
