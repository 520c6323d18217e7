"""Code sets of the clearinghouse files, as enums whose values are the published codes."""

from __future__ import annotations

from .._kernel._codes import Coded as _Coded

__all__ = [
    "ClassLevel",
    "CollegeControl",
    "CollegeType",
    "DegreeKind",
    "EnrollmentStatus",
    "FerpaBlock",
]


class CollegeType(_Coded):
    """
    Level of a college: 4-year, 2-year or less-than-2-year.

    Examples:
        >>> CollegeType.parse("Less Than 2 Years")
        <CollegeType.LESS_THAN_TWO_YEAR: 'L'>
        >>> CollegeType.parse("9")
        <CollegeType.UNKNOWN: 'unknown'>
    """

    FOUR_YEAR = "4"
    TWO_YEAR = "2"
    LESS_THAN_TWO_YEAR = "L"
    UNKNOWN = "unknown"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "4-YEAR": "4",
            "4 YEAR": "4",
            "2-YEAR": "2",
            "2 YEAR": "2",
            "LESS THAN 2 YEARS": "L",
            "LESS THAN 2-YEAR": "L",
            "LESS THAN 2 YEAR": "L",
            "<2": "L",
        }


class CollegeControl(_Coded):
    """Public or private control of a college."""

    PUBLIC = "Public"
    PRIVATE = "Private"
    UNKNOWN = "unknown"


class EnrollmentStatus(_Coded):
    """
    Enrollment status of a term; blank means the school withheld it (non-directory).

    Examples:
        >>> EnrollmentStatus.parse(" ")
        <EnrollmentStatus.WITHHELD: ''>
        >>> EnrollmentStatus.parse("h")
        <EnrollmentStatus.HALF_TIME: 'H'>
    """

    FULL_TIME = "F"
    THREE_QUARTER_TIME = "Q"
    HALF_TIME = "H"
    LESS_THAN_HALF_TIME = "L"
    WITHDRAWN = "W"
    LEAVE_OF_ABSENCE = "A"
    DECEASED = "D"
    WITHHELD = ""
    UNKNOWN = "unknown"

    @property
    def is_enrolled(self) -> bool:
        """True for F, Q, H, L and withheld (blank): the statuses that count as enrolled."""
        return self in _ENROLLED


_ENROLLED = frozenset(
    {
        EnrollmentStatus.FULL_TIME,
        EnrollmentStatus.THREE_QUARTER_TIME,
        EnrollmentStatus.HALF_TIME,
        EnrollmentStatus.LESS_THAN_HALF_TIME,
        EnrollmentStatus.WITHHELD,
    }
)


class ClassLevel(_Coded):
    """The 14 class-level codes of an enrollment record."""

    FRESHMAN = "F"
    SOPHOMORE = "S"
    JUNIOR = "J"
    SENIOR = "R"
    CERTIFICATE = "C"
    UNSPECIFIED_UNDERGRADUATE = "N"
    BACHELORS = "B"
    ASSOCIATES = "A"
    MASTERS = "M"
    DOCTORAL = "D"
    POSTDOCTORATE = "P"
    FIRST_PROFESSIONAL = "L"
    UNSPECIFIED_GRADUATE = "G"
    POST_BACCALAUREATE_CERTIFICATE = "T"
    UNKNOWN = "unknown"


class FerpaBlock(_Coded):
    """
    A FERPA block on a record: none, by the student, or by the school.

    Examples:
        >>> FerpaBlock.parse("School")
        <FerpaBlock.SCHOOL: 'school'>
    """

    NONE = ""
    STUDENT = "student"
    SCHOOL = "school"
    UNKNOWN = "unknown"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "N": "",
            "NO": "",
            "S": "student",
            "STUDENT BLOCK": "student",
            "SCHOOL BLOCK": "school",
        }


class DegreeKind(_Coded):
    """Kind of a degree record: what the outcome hierarchy counts it as."""

    FOUR_YEAR = "4-year"
    TWO_YEAR = "2-year"
    CERTIFICATE = "certificate"
    UNKNOWN = "unknown"

    @property
    def is_degree(self) -> bool:
        """True for 4-year and 2-year degrees (associate or higher): the kinds that count."""
        return self in (DegreeKind.FOUR_YEAR, DegreeKind.TWO_YEAR)
