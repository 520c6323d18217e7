"""
edoutcomes: student outcome reports from rosters and postsecondary records.

The everyday names are here; the subpackages hold the rest:
:mod:`edoutcomes.model`, :mod:`edoutcomes.cohort`, :mod:`edoutcomes.ontrack`,
:mod:`edoutcomes.formats`, :mod:`edoutcomes.match` (optional extra), :mod:`edoutcomes.synth`.
"""

from ._kernel._findings import FileStatus, Finding, Severity
from .errors import (
    EdOutcomesError,
    InvalidArgumentError,
    InvalidInputError,
    InvalidRecordError,
    MissingExtraError,
    UnknownFormatError,
)
from .model import (
    Cip,
    Cohort,
    CohortColumns,
    CollegeCode,
    CollegeType,
    DegreeKind,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    FerpaBlock,
    Institution,
    Student,
    Table,
)

__version__ = "0.1.0"
"""
The version of the library, as pip shows it.

Examples:
    >>> import edoutcomes
    >>> edoutcomes.__version__
    '0.1.0'
"""

__all__ = [
    "Cip",
    "Cohort",
    "CohortColumns",
    "CollegeCode",
    "CollegeType",
    "DegreeKind",
    "DegreeRecord",
    "EdOutcomesError",
    "EnrollmentRecord",
    "EnrollmentStatus",
    "FerpaBlock",
    "FileStatus",
    "Finding",
    "Institution",
    "InvalidArgumentError",
    "InvalidInputError",
    "InvalidRecordError",
    "MissingExtraError",
    "Severity",
    "Student",
    "Table",
    "UnknownFormatError",
    "__version__",
]
