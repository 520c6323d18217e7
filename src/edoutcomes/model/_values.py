"""Value types: college codes, CIP codes, and the degree-title table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from attrs import field, frozen

from ..errors import InvalidArgumentError, InvalidRecordError
from ._codes import CollegeType, DegreeKind

__all__ = ["DEGREE_TITLES", "Cip", "CollegeCode", "DegreeTitleTable"]

_COLLEGE_CODE = re.compile(r"^(\d{6})-?(\d{2})$")
_SIX = re.compile(r"^\d{6}$")
_TWO = re.compile(r"^\d{2}$")


@frozen(order=True)
class CollegeCode:
    """
    A college code ``NNNNNN-BB``: a 6-digit institution code and a 2-digit branch.

    Institution codes identify an institution; branches are campuses of one institution.

    Examples:
        >>> code = CollegeCode.parse("001817-00")
        >>> code.institution, code.branch, str(code)
        ('001817', '00', '001817-00')
        >>> CollegeCode.parse("1817-00")
        Traceback (most recent call last):
        ...
        edoutcomes.errors.InvalidRecordError: college_code='1817-00' is not NNNNNN-BB
    """

    institution: str = field()
    branch: str = field(default="00")

    @institution.validator
    def _six_digits(self, attribute: object, value: str) -> None:
        if not isinstance(value, str) or not _SIX.match(value):
            msg = f"college_code institution={value!r} is not 6 digits"
            raise InvalidRecordError(msg)

    @branch.validator
    def _two_digits(self, attribute: object, value: str) -> None:
        if not isinstance(value, str) or not _TWO.match(value):
            msg = f"college_code branch={value!r} is not 2 digits"
            raise InvalidRecordError(msg)

    @classmethod
    def parse(cls, text: str) -> CollegeCode:
        """
        Parse ``NNNNNN-BB`` (or ``NNNNNNBB``); surrounding blanks are ignored.

        Examples:
            >>> CollegeCode.parse(" 00181705 "), str(CollegeCode.parse("001817-05"))
            (CollegeCode(institution='001817', branch='05'), '001817-05')
            >>> CollegeCode.parse("1817")
            Traceback (most recent call last):
            ...
            edoutcomes.errors.InvalidRecordError: college_code='1817' is not NNNNNN-BB
        """
        match = _COLLEGE_CODE.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            msg = f"college_code={text!r} is not NNNNNN-BB"
            raise InvalidRecordError(msg)
        return cls(match.group(1), match.group(2))

    @property
    def packed(self) -> int:
        """
        The code as one integer ``NNNNNNBB`` (how the columnar view stores it).

        Examples:
            >>> CollegeCode.parse("001817-05").packed
            181705
        """
        return int(self.institution) * 100 + int(self.branch)

    @classmethod
    def unpack(cls, packed: int) -> CollegeCode:
        """
        The inverse of :attr:`packed`.

        Examples:
            >>> str(CollegeCode.unpack(181705))
            '001817-05'
        """
        if not 0 <= packed <= 99_999_999:
            msg = f"packed college code {packed} is out of range"
            raise InvalidArgumentError(msg)
        return cls(f"{packed // 100:06d}", f"{packed % 100:02d}")

    def __str__(self) -> str:
        return f"{self.institution}-{self.branch}"


_CIP = re.compile(r"^(\d{1,2})\.?(\d{4})$")


@frozen(order=True)
class Cip:
    """
    A Classification of Instructional Programs code, always ``NN.NNNN``.

    Examples:
        >>> str(Cip.parse("90401")), str(Cip.parse("090401")), str(Cip.parse("9.0401"))
        ('09.0401', '09.0401', '09.0401')
    """

    code: str = field()

    @code.validator
    def _normalised(self, attribute: object, value: str) -> None:
        if not isinstance(value, str) or not re.match(r"^\d{2}\.\d{4}$", value):
            msg = f"cip={value!r} is not NN.NNNN"
            raise InvalidRecordError(msg)

    @classmethod
    def parse(cls, text: str) -> Cip:
        """
        Normalise ``90401``, ``090401``, ``9.0401`` or ``09.0401`` to ``09.0401``.

        Examples:
            >>> str(Cip.parse("9.0401")), str(Cip.parse("090401"))
            ('09.0401', '09.0401')
        """
        match = _CIP.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            msg = f"cip={text!r} is not a CIP code (6 digits, NN.NNNN)"
            raise InvalidRecordError(msg)
        return cls(f"{int(match.group(1)):02d}.{match.group(2)}")

    @property
    def packed(self) -> int:
        """
        The six digits as one integer (``09.0401`` -> 90401).

        Examples:
            >>> Cip.parse("09.0401").packed
            90401
        """
        return int(self.code.replace(".", ""))

    @classmethod
    def unpack(cls, packed: int) -> Cip:
        """
        The inverse of :attr:`packed`.

        Examples:
            >>> str(Cip.unpack(90401))
            '09.0401'
        """
        digits = f"{packed:06d}"
        return cls(f"{digits[:2]}.{digits[2:]}")

    def __str__(self) -> str:
        return self.code


def _normalise_title(title: str) -> str:
    return " ".join(title.replace(".", "").upper().split())


@frozen
class DegreeTitleTable:
    """
    The rules that give a degree title its :class:`DegreeKind`; one table serves every engine.

    A title is trimmed, upper-cased and stripped of periods; then the first rule that
    matches decides: a *prefix* rule matches the start of the title (real files truncate
    titles, e.g. ``CERTIFICAT``), a *word* rule matches the first word exactly. A blank
    title takes the kind from the college type; a title no rule knows is ``UNKNOWN``.

    Extend it with :meth:`with_prefixes` / :meth:`with_words` rather than guessing.

    Examples:
        >>> DEGREE_TITLES.kind("Bachelor of Arts")
        <DegreeKind.FOUR_YEAR: '4-year'>
        >>> DEGREE_TITLES.kind("A.A.S. Nursing")
        <DegreeKind.TWO_YEAR: '2-year'>
        >>> DEGREE_TITLES.kind("", CollegeType.LESS_THAN_TWO_YEAR)
        <DegreeKind.CERTIFICATE: 'certificate'>
        >>> DEGREE_TITLES.kind("DIPLOMA")
        <DegreeKind.UNKNOWN: 'unknown'>
        >>> DEGREE_TITLES.with_words({"EDD": DegreeKind.FOUR_YEAR}).kind("EdD Leadership")
        <DegreeKind.FOUR_YEAR: '4-year'>
    """

    prefixes: tuple[tuple[str, DegreeKind], ...]
    words: tuple[tuple[str, DegreeKind], ...]

    def kind(self, title: str | None, college_type: CollegeType | None = None) -> DegreeKind:
        """
        The kind of a degree with this *title* awarded by a college of *college_type*.

        Examples:
            >>> DEGREE_TITLES.kind("Associate in Arts"), DEGREE_TITLES.kind(None, CollegeType.TWO_YEAR)
            (<DegreeKind.TWO_YEAR: '2-year'>, <DegreeKind.TWO_YEAR: '2-year'>)
        """
        text = _normalise_title(title or "")
        if not text:
            return _BLANK_TITLE_KIND.get(college_type, DegreeKind.UNKNOWN)
        for prefix, kind in self.prefixes:
            if text.startswith(prefix):
                return kind
        first = text.split(" ", 1)[0]
        for word, kind in self.words:
            if first == word:
                return kind
        return DegreeKind.UNKNOWN

    def with_prefixes(self, rules: Mapping[str, DegreeKind]) -> DegreeTitleTable:
        """
        A new table whose prefix rules *rules* are tried before the existing ones.

        Examples:
            >>> DEGREE_TITLES.kind("Diploma in Nursing")
            <DegreeKind.UNKNOWN: 'unknown'>
            >>> DEGREE_TITLES.with_prefixes({"DIPLOMA": DegreeKind.CERTIFICATE}).kind("Diploma in Nursing")
            <DegreeKind.CERTIFICATE: 'certificate'>
        """
        return DegreeTitleTable(_rules(rules) + self.prefixes, self.words)

    def with_words(self, rules: Mapping[str, DegreeKind]) -> DegreeTitleTable:
        """
        A new table whose first-word rules *rules* are tried before the existing ones.

        Examples:
            >>> DEGREE_TITLES.with_words({"EDD": DegreeKind.FOUR_YEAR}).kind("EdD Leadership")
            <DegreeKind.FOUR_YEAR: '4-year'>
        """
        return DegreeTitleTable(self.prefixes, _rules(rules) + self.words)


def _rules(
    rules: Mapping[str, DegreeKind] | Iterable[tuple[str, DegreeKind]],
) -> tuple[tuple[str, DegreeKind], ...]:
    items = rules.items() if isinstance(rules, Mapping) else rules
    return tuple((_normalise_title(k), DegreeKind(v)) for k, v in items)


_BLANK_TITLE_KIND: dict[CollegeType | None, DegreeKind] = {
    CollegeType.FOUR_YEAR: DegreeKind.FOUR_YEAR,
    CollegeType.TWO_YEAR: DegreeKind.TWO_YEAR,
    CollegeType.LESS_THAN_TWO_YEAR: DegreeKind.CERTIFICATE,
}

DEGREE_TITLES = DegreeTitleTable(
    prefixes=_rules(
        {
            "BACHELOR": DegreeKind.FOUR_YEAR,
            "MASTER": DegreeKind.FOUR_YEAR,
            "DOCTOR": DegreeKind.FOUR_YEAR,
            "ASSOCIATE": DegreeKind.TWO_YEAR,
            "CERT": DegreeKind.CERTIFICATE,
        }
    ),
    words=_rules(
        {
            "BS": DegreeKind.FOUR_YEAR,
            "BA": DegreeKind.FOUR_YEAR,
            "MS": DegreeKind.FOUR_YEAR,
            "MA": DegreeKind.FOUR_YEAR,
            "MBA": DegreeKind.FOUR_YEAR,
            "PHD": DegreeKind.FOUR_YEAR,
            "JD": DegreeKind.FOUR_YEAR,
            "MD": DegreeKind.FOUR_YEAR,
            "AA": DegreeKind.TWO_YEAR,
            "AS": DegreeKind.TWO_YEAR,
            "AAS": DegreeKind.TWO_YEAR,
        }
    ),
)
"""
The library's degree-title table (cohort-query spec, "Which records count").

Examples:
    >>> DEGREE_TITLES.kind("Master of Business Administration")
    <DegreeKind.FOUR_YEAR: '4-year'>
    >>> DEGREE_TITLES.kind("AAS")
    <DegreeKind.TWO_YEAR: '2-year'>
"""
