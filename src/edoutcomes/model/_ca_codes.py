"""
Code sets of California's college-readiness data: terms, letter grades, a-g areas, consents.

Each is a code set whose values are the codes the canonical tables spell (college-readiness.md);
``UNKNOWN`` stands for a code the library does not know (the reader reports it).
"""

from __future__ import annotations

from .._kernel._codes import Coded as _Coded

__all__ = [
    "AgArea",
    "AgDiscipline",
    "AwardKind",
    "CollegeSystem",
    "ConsentPurpose",
    "ConsentScope",
    "CourseKind",
    "GpaKind",
    "HonorsType",
    "LetterGrade",
    "StatusKind",
    "TermKind",
    "UnitType",
]


class TermKind(_Coded):
    """
    The term a mark was earned in: a semester (fall, spring), a whole year, or summer school.

    Trimester and quarter terms are not mapped yet: they read as ``UNKNOWN`` and are reported.

    Examples:
        >>> TermKind.parse("Fall"), TermKind.parse("trimester")
        (<TermKind.FALL: 'fall'>, <TermKind.UNKNOWN: 'unknown'>)
    """

    FALL = "fall"
    SPRING = "spring"
    YEAR = "year"
    SUMMER = "summer"
    UNKNOWN = "unknown"


class LetterGrade(_Coded):
    """
    A transcript mark: ``A+`` .. ``F`` and the non-letter marks ``P NP CR NC I W IP``.

    Plus and minus never change a rule: ``C-`` is a C.

    Examples:
        >>> LetterGrade.parse("c-").letter, LetterGrade.parse("P").letter
        ('C', None)
    """

    A_PLUS = "A+"
    A = "A"
    A_MINUS = "A-"
    B_PLUS = "B+"
    B = "B"
    B_MINUS = "B-"
    C_PLUS = "C+"
    C = "C"
    C_MINUS = "C-"
    D_PLUS = "D+"
    D = "D"
    D_MINUS = "D-"
    F = "F"
    PASS = "P"  # noqa: S105 - a grade, not a password
    NO_PASS = "NP"  # noqa: S105 - a grade, not a password
    CREDIT = "CR"
    NO_CREDIT = "NC"
    INCOMPLETE = "I"
    WITHDRAWN = "W"
    IN_PROGRESS = "IP"
    UNKNOWN = "unknown"

    @property
    def letter(self) -> str | None:
        """``A`` .. ``D`` or ``F`` without its modifier; None for a non-letter mark."""
        return _LETTERS.get(self)


class AgArea(_Coded):
    """
    A subject area of the a-g requirements: a history, b English, c mathematics, d science,
    e language other than English, f visual and performing arts, g college-preparatory elective.
    """

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"
    F = "f"
    G = "g"
    UNKNOWN = "unknown"


class AgDiscipline(_Coded):
    """The discipline of an a (history) or d (science) course, for the sub-rules."""

    WORLD_HISTORY = "world_history"
    US_HISTORY = "us_history"
    CIVICS = "civics"
    SOCIAL_SCIENCE = "social_science"
    BIOLOGY = "biology"
    CHEMISTRY = "chemistry"
    PHYSICS = "physics"
    EARTH_SPACE = "earth_space"
    UNKNOWN = "unknown"


class HonorsType(_Coded):
    """An honors designation that earns an honors point (a blank ``honors_type`` is none)."""

    AP = "AP"
    IB_HL = "IB_HL"
    IB_SL_DESIGNATED = "IB_SL_DESIGNATED"
    UC_HONORS = "UC_HONORS"
    COLLEGE = "COLLEGE"
    UNKNOWN = "unknown"


class UnitType(_Coded):
    """The unit a college course's ``college_units`` are counted in (blank: semester)."""

    SEMESTER = "semester"
    QUARTER = "quarter"
    UNKNOWN = "unknown"


class CourseKind(_Coded):
    """What a course is for the Cal Grant GPA: only ``academic`` courses count."""

    ACADEMIC = "academic"
    PE = "pe"
    ROTC = "rotc"
    REMEDIAL = "remedial"
    UNKNOWN = "unknown"


class StatusKind(_Coded):
    """A college-going event of a student: an aid application, a college application, an award."""

    FAFSA = "fafsa"
    CADAA = "cadaa"
    COLLEGE_APPLICATION = "college_application"
    AWARD = "award"
    UNKNOWN = "unknown"


class CollegeSystem(_Coded):
    """The system a college application went to."""

    UC = "UC"
    CSU = "CSU"
    CCC = "CCC"
    PRIVATE = "private"
    OUT_OF_STATE = "out_of_state"
    OTHER = "other"
    UNKNOWN = "unknown"


class AwardKind(_Coded):
    """What an ``award`` event awarded."""

    HS_DIPLOMA = "hs_diploma"
    ADT = "adt"
    ASSOCIATE = "associate"
    CERTIFICATE = "certificate"
    BADGE = "badge"
    CREDENTIAL = "credential"
    UNKNOWN = "unknown"


class ConsentPurpose(_Coded):
    """What a student consented their records be shared for."""

    COLLEGE_APPLICATION = "college_application"
    FINANCIAL_AID = "financial_aid"
    TRANSFER = "transfer"
    ELIGIBILITY_SERVICES = "eligibility_services"
    PROGRESS_VIEW = "progress_view"
    UNKNOWN = "unknown"


class ConsentScope(_Coded):
    """How much a consent releases: the academic record, or also the eligibility (sensitive) columns."""

    ACADEMIC = "academic"
    ACADEMIC_AND_ELIGIBILITY = "academic_and_eligibility"
    UNKNOWN = "unknown"


class GpaKind(_Coded):
    """The kind of a GPA the student information system reports."""

    UC_UNWEIGHTED = "uc_unweighted"
    UC_CAPPED = "uc_capped"
    CSU = "csu"
    CALGRANT = "calgrant"
    UNKNOWN = "unknown"


_LETTERS = {g: g.value[0] for g in LetterGrade if g.value[0] in "ABCDF" and len(g.value) <= 2}
_LETTERS.pop(LetterGrade.CREDIT)
