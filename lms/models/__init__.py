"""The data model, one module per aggregate. Importing this package registers every table."""
from lms.models.audit import AuditEntry
from lms.models.course import (
    AssignmentScope,
    Audience,
    Course,
    CourseAssignment,
    CourseProgress,
    CourseStatus,
    Lesson,
    LessonProgress,
    LessonRevision,
    MediaFile,
    Skill,
)
from lms.models.org import Unit, UnitLevel, UnitMembership
from lms.models.user import Role, StaffCategory, User, UserRole

__all__ = [
    "AssignmentScope",
    "Audience",
    "AuditEntry",
    "Course",
    "CourseAssignment",
    "CourseProgress",
    "CourseStatus",
    "Lesson",
    "LessonProgress",
    "LessonRevision",
    "MediaFile",
    "Role",
    "Skill",
    "StaffCategory",
    "Unit",
    "UnitLevel",
    "UnitMembership",
    "User",
    "UserRole",
]
