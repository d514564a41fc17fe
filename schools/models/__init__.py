from .register import ImportStatus, SchoolRegisterImport
from .school import LocalAuthority, School, StaffMember, StaffRole

__all__ = [
    "ImportStatus",
    "LocalAuthority",
    "School",
    "SchoolRegisterImport",
    "StaffMember",
    "StaffRole",
]
