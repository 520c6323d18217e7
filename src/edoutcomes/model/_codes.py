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

    FOUR_YEAR = "4", 0
    TWO_YEAR = "2", 1
    LESS_THAN_TWO_YEAR = "L", 2
    UNKNOWN = "unknown", 3

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
    """
    Public or private control of a college.

    Examples:
        >>> CollegeControl.parse("public")
        <CollegeControl.PUBLIC: 'Public'>
    """

    PUBLIC = "Public", 0
    PRIVATE = "Private", 1
    UNKNOWN = "unknown", 2


class EnrollmentStatus(_Coded):
    """
    Enrollment status of a term; blank means the school withheld it (non-directory).

    Examples:
        >>> EnrollmentStatus.parse(" ")
        <EnrollmentStatus.WITHHELD: ''>
        >>> EnrollmentStatus.parse("h")
        <EnrollmentStatus.HALF_TIME: 'H'>
    """

    FULL_TIME = "F", 0
    THREE_QUARTER_TIME = "Q", 1
    HALF_TIME = "H", 2
    LESS_THAN_HALF_TIME = "L", 3
    WITHDRAWN = "W", 4
    LEAVE_OF_ABSENCE = "A", 5
    DECEASED = "D", 6
    WITHHELD = "", 7
    UNKNOWN = "unknown", 8

    @property
    def is_enrolled(self) -> bool:
        """
        True for F, Q, H, L and withheld (blank): the statuses that count as enrolled.

        Examples:
            >>> EnrollmentStatus.WITHHELD.is_enrolled, EnrollmentStatus.WITHDRAWN.is_enrolled
            (True, False)
        """
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
    """
    The 14 class-level codes of an enrollment record.

    Examples:
        >>> ClassLevel.parse("r"), ClassLevel.parse("X")
        (<ClassLevel.SENIOR: 'R'>, <ClassLevel.UNKNOWN: 'unknown'>)
    """

    FRESHMAN = "F", 0
    SOPHOMORE = "S", 1
    JUNIOR = "J", 2
    SENIOR = "R", 3
    CERTIFICATE = "C", 4
    UNSPECIFIED_UNDERGRADUATE = "N", 5
    BACHELORS = "B", 6
    ASSOCIATES = "A", 7
    MASTERS = "M", 8
    DOCTORAL = "D", 9
    POSTDOCTORATE = "P", 10
    FIRST_PROFESSIONAL = "L", 11
    UNSPECIFIED_GRADUATE = "G", 12
    POST_BACCALAUREATE_CERTIFICATE = "T", 13
    UNKNOWN = "unknown", 14


class FerpaBlock(_Coded):
    """
    A FERPA block on a record: none, by the student, or by the school.

    Examples:
        >>> FerpaBlock.parse("School")
        <FerpaBlock.SCHOOL: 'school'>
    """

    NONE = "", 0
    STUDENT = "student", 1
    SCHOOL = "school", 2
    UNKNOWN = "unknown", 3

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
    """
    Kind of a degree record: what the outcome hierarchy counts it as.

    Examples:
        >>> DegreeKind.parse("2-year"), DegreeKind.TWO_YEAR.is_degree, DegreeKind.CERTIFICATE.is_degree
        (<DegreeKind.TWO_YEAR: '2-year'>, True, False)
    """

    FOUR_YEAR = "4-year", 0
    TWO_YEAR = "2-year", 1
    CERTIFICATE = "certificate", 2
    UNKNOWN = "unknown", 3

    @property
    def is_degree(self) -> bool:
        """
        True for 4-year and 2-year degrees (associate or higher): the kinds that count.

        Examples:
            >>> DegreeKind.TWO_YEAR.is_degree, DegreeKind.CERTIFICATE.is_degree
            (True, False)
        """
        return self in (DegreeKind.FOUR_YEAR, DegreeKind.TWO_YEAR)
