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

    FALL = "fall", 0
    SPRING = "spring", 1
    YEAR = "year", 2
    SUMMER = "summer", 3
    UNKNOWN = "unknown", 4


class LetterGrade(_Coded):
    """
    A transcript mark: ``A+`` .. ``F`` and the non-letter marks ``P NP CR NC I W IP``.

    Plus and minus never change a rule: ``C-`` is a C.

    Examples:
        >>> LetterGrade.parse("c-").letter, LetterGrade.parse("P").letter
        ('C', None)
    """

    A_PLUS = "A+", 0
    A = "A", 1
    A_MINUS = "A-", 2
    B_PLUS = "B+", 3
    B = "B", 4
    B_MINUS = "B-", 5
    C_PLUS = "C+", 6
    C = "C", 7
    C_MINUS = "C-", 8
    D_PLUS = "D+", 9
    D = "D", 10
    D_MINUS = "D-", 11
    F = "F", 12
    PASS = "P", 13
    NO_PASS = "NP", 14
    CREDIT = "CR", 15
    NO_CREDIT = "NC", 16
    INCOMPLETE = "I", 17
    WITHDRAWN = "W", 18
    IN_PROGRESS = "IP", 19
    UNKNOWN = "unknown", 20

    @property
    def letter(self) -> str | None:
        """
        ``A`` .. ``D`` or ``F`` without its modifier; None for a non-letter mark.

        Examples:
            >>> LetterGrade.B_PLUS.letter, LetterGrade.PASS.letter
            ('B', None)
        """
        return _LETTERS.get(self)


class AgArea(_Coded):
    """
    A subject area of the a-g requirements: a history, b English, c mathematics, d science,
    e language other than English, f visual and performing arts, g college-preparatory elective.

    Examples:
        >>> AgArea.parse("B"), AgArea.parse("B").code
        (<AgArea.B: 'b'>, 1)
    """

    A = "a", 0
    B = "b", 1
    C = "c", 2
    D = "d", 3
    E = "e", 4
    F = "f", 5
    G = "g", 6
    UNKNOWN = "unknown", 7


class AgDiscipline(_Coded):
    """
    The discipline of an a (history) or d (science) course, for the sub-rules.

    Examples:
        >>> AgDiscipline.parse("us_history")
        <AgDiscipline.US_HISTORY: 'us_history'>
    """

    WORLD_HISTORY = "world_history", 0
    US_HISTORY = "us_history", 1
    CIVICS = "civics", 2
    SOCIAL_SCIENCE = "social_science", 3
    BIOLOGY = "biology", 4
    CHEMISTRY = "chemistry", 5
    PHYSICS = "physics", 6
    EARTH_SPACE = "earth_space", 7
    UNKNOWN = "unknown", 8


class HonorsType(_Coded):
    """
    An honors designation that earns an honors point (a blank ``honors_type`` is none).

    Examples:
        >>> HonorsType.parse("ap"), HonorsType.parse("honours")
        (<HonorsType.AP: 'AP'>, <HonorsType.UNKNOWN: 'unknown'>)
    """

    AP = "AP", 0
    IB_HL = "IB_HL", 1
    IB_SL_DESIGNATED = "IB_SL_DESIGNATED", 2
    UC_HONORS = "UC_HONORS", 3
    COLLEGE = "COLLEGE", 4
    UNKNOWN = "unknown", 5


class UnitType(_Coded):
    """
    The unit a college course's ``college_units`` are counted in (blank: semester).

    Examples:
        >>> UnitType.parse("Quarter")
        <UnitType.QUARTER: 'quarter'>
    """

    SEMESTER = "semester", 0
    QUARTER = "quarter", 1
    UNKNOWN = "unknown", 2


class CourseKind(_Coded):
    """
    What a course is for the Cal Grant GPA: only ``academic`` courses count.

    Examples:
        >>> CourseKind.parse("PE"), CourseKind.parse("academic")
        (<CourseKind.PE: 'pe'>, <CourseKind.ACADEMIC: 'academic'>)
    """

    ACADEMIC = "academic", 0
    PE = "pe", 1
    ROTC = "rotc", 2
    REMEDIAL = "remedial", 3
    UNKNOWN = "unknown", 4


class StatusKind(_Coded):
    """
    A college-going event of a student: an aid application, a college application, an award.

    Examples:
        >>> StatusKind.parse("FAFSA")
        <StatusKind.FAFSA: 'fafsa'>
    """

    FAFSA = "fafsa", 0
    CADAA = "cadaa", 1
    COLLEGE_APPLICATION = "college_application", 2
    AWARD = "award", 3
    UNKNOWN = "unknown", 4


class CollegeSystem(_Coded):
    """
    The system a college application went to.

    Examples:
        >>> CollegeSystem.parse("uc"), str(CollegeSystem.OUT_OF_STATE)
        (<CollegeSystem.UC: 'UC'>, 'out_of_state')
    """

    UC = "UC", 0
    CSU = "CSU", 1
    CCC = "CCC", 2
    PRIVATE = "private", 3
    OUT_OF_STATE = "out_of_state", 4
    OTHER = "other", 5
    UNKNOWN = "unknown", 6


class AwardKind(_Coded):
    """
    What an ``award`` event awarded.

    Examples:
        >>> AwardKind.parse("ADT")
        <AwardKind.ADT: 'adt'>
    """

    HS_DIPLOMA = "hs_diploma", 0
    ADT = "adt", 1
    ASSOCIATE = "associate", 2
    CERTIFICATE = "certificate", 3
    BADGE = "badge", 4
    CREDENTIAL = "credential", 5
    UNKNOWN = "unknown", 6


class ConsentPurpose(_Coded):
    """
    What a student consented their records be shared for.

    Examples:
        >>> ConsentPurpose.parse("financial_aid")
        <ConsentPurpose.FINANCIAL_AID: 'financial_aid'>
    """

    COLLEGE_APPLICATION = "college_application", 0
    FINANCIAL_AID = "financial_aid", 1
    TRANSFER = "transfer", 2
    ELIGIBILITY_SERVICES = "eligibility_services", 3
    PROGRESS_VIEW = "progress_view", 4
    UNKNOWN = "unknown", 5


class ConsentScope(_Coded):
    """
    How much a consent releases: the academic record, or also the eligibility (sensitive) columns.

    Examples:
        >>> ConsentScope.parse("academic_and_eligibility")
        <ConsentScope.ACADEMIC_AND_ELIGIBILITY: 'academic_and_eligibility'>
    """

    ACADEMIC = "academic", 0
    ACADEMIC_AND_ELIGIBILITY = "academic_and_eligibility", 1
    UNKNOWN = "unknown", 2


class GpaKind(_Coded):
    """
    The kind of a GPA the student information system reports.

    Examples:
        >>> GpaKind.parse("CSU")
        <GpaKind.CSU: 'csu'>
    """

    UC_UNWEIGHTED = "uc_unweighted", 0
    UC_CAPPED = "uc_capped", 1
    CSU = "csu", 2
    CALGRANT = "calgrant", 3
    UNKNOWN = "unknown", 4


_LETTERS = {g: g.value[0] for g in LetterGrade if g.value[0] in "ABCDF" and len(g.value) <= 2}
_LETTERS.pop(LetterGrade.CREDIT)
