"""The data model, one module per aggregate. Importing this package registers every table."""
from lms.models.api_token import ApiToken
from lms.models.attempt import Attempt, AttemptSlot, QuizResult
from lms.models.audit import AuditEntry
from lms.models.certificate import Certificate, RegisterCounter, Standard, StandardRequirement
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
from lms.models.external import EXTERNAL_KIND_VALUES, ExternalCertificate, ExternalKind
from lms.models.org import Unit, UnitLevel, UnitMembership
from lms.models.question import BankQuestion, QuestionCategory, QuestionTag, QuestionVersion
from lms.models.quiz import GradingMethod, Quiz, QuizKind, QuizRule
from lms.models.target import TargetSetting
from lms.models.user import Role, StaffCategory, User, UserRole

__all__ = [
    "EXTERNAL_KIND_VALUES",
    "ApiToken",
    "AssignmentScope",
    "Attempt",
    "AttemptSlot",
    "Audience",
    "AuditEntry",
    "BankQuestion",
    "Certificate",
    "Course",
    "CourseAssignment",
    "CourseProgress",
    "CourseStatus",
    "ExternalCertificate",
    "ExternalKind",
    "GradingMethod",
    "Lesson",
    "LessonProgress",
    "LessonRevision",
    "MediaFile",
    "QuestionCategory",
    "QuestionTag",
    "QuestionVersion",
    "Quiz",
    "QuizKind",
    "QuizResult",
    "QuizRule",
    "RegisterCounter",
    "Role",
    "Skill",
    "StaffCategory",
    "Standard",
    "StandardRequirement",
    "TargetSetting",
    "Unit",
    "UnitLevel",
    "UnitMembership",
    "User",
    "UserRole",
]
