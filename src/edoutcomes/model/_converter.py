"""The library's own cattrs converter: canonical column names, ISO dates, published codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from attrs import NOTHING, fields, resolve_types
from cattrs.preconf.json import JsonConverter, make_converter

from .._kernel._codes import Coded as _Coded
from .._kernel._days import is_date
from .._kernel._validators import show
from ..errors import InvalidRecordError
from ._records import Cohort, DegreeRecord, EnrollmentRecord, Institution, Student
from ._values import Cip, CollegeCode

__all__ = ["converter", "structure", "unstructure"]

T = TypeVar("T")


def _make() -> JsonConverter:
    conv = make_converter()
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(CollegeCode, str)
    conv.register_structure_hook(
        CollegeCode, lambda v, _: v if isinstance(v, CollegeCode) else CollegeCode.parse(v)
    )
    conv.register_unstructure_hook(Cip, str)
    conv.register_structure_hook(Cip, lambda v, _: v if isinstance(v, Cip) else Cip.parse(v))
    for record_type in (Student, EnrollmentRecord, DegreeRecord):
        _register_flat(conv, record_type)
    conv.register_unstructure_hook(
        Institution, lambda i: {"codes": list(i.codes), "name": i.name, "branch": i.branch}
    )
    conv.register_structure_hook(
        Institution,
        lambda d, _: Institution(tuple(d["codes"]), name=d.get("name", ""), branch=d.get("branch")),
    )
    _register_cohort(conv)
    return conv


def _register_cohort(conv: JsonConverter) -> None:
    """A cohort is its three canonical tables (lists of record dicts) and its institution."""

    def unstructure(cohort: Cohort) -> dict[str, Any]:
        return {
            "students": [conv.unstructure(r) for r in cohort.students],
            "enrollments": [conv.unstructure(r) for r in cohort.enrollments],
            "degrees": [conv.unstructure(r) for r in cohort.degrees],
            "institution": conv.unstructure(cohort.institution),
        }

    def structure(data: Mapping[str, Any], _: object) -> Cohort:
        # Lists of Any: mypy's attrs plugin cannot bind the element type of a ``tuple`` converter.
        students: list[Any] = [conv.structure(r, Student) for r in data.get("students", ())]
        enrollments: list[Any] = [
            conv.structure(r, EnrollmentRecord) for r in data.get("enrollments", ())
        ]
        degrees: list[Any] = [conv.structure(r, DegreeRecord) for r in data.get("degrees", ())]
        institution = data.get("institution")
        if institution is not None:
            institution = conv.structure(institution, Institution)
        return Cohort(students, enrollments, degrees, institution)

    resolve_types(Cohort, globalns=_records_namespace())
    conv.register_unstructure_hook(Cohort, unstructure)
    conv.register_structure_hook(Cohort, structure)


def _structure_date(value: object, _: object) -> dt.date:
    if is_date(value):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    msg = "value is not an ISO date (YYYY-MM-DD)"
    raise InvalidRecordError(msg)


def _register_flat(conv: JsonConverter, record_type: type[Any]) -> None:
    """Optional attributes are flattened into the dict beside the canonical keys."""
    resolve_types(record_type, globalns=_records_namespace())
    attrs = [a for a in fields(record_type) if a.name != "attributes"]
    names = [a.name for a in attrs]
    targets = {a.name: _strip_none(a.type) for a in attrs}
    defaults = {a.name: a.default for a in attrs if a.default is not NOTHING}
    required = [name for name in names if name not in defaults]

    def unstructure(record: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in names:
            value = getattr(record, name)
            out[name] = value.value if isinstance(value, _Coded) else conv.unstructure(value)
        for name, value in record.attributes:
            out[name] = value
        return out

    def structure(data: Mapping[str, Any], _: object) -> Any:
        missing = [name for name in required if data.get(name) is None]
        if missing:
            msg = f"{record_type.__name__}: {', '.join(missing)} is required"
            raise InvalidRecordError(msg)
        kwargs: dict[str, Any] = {}
        for name in names:
            if name not in data:
                continue
            value = data[name]
            if value is None:
                # None is "missing": an optional field stays None, a coded one takes its default.
                if name in defaults:
                    kwargs[name] = defaults[name]
                continue
            try:
                kwargs[name] = conv.structure(value, targets[name])
            except (ValueError, TypeError):
                # The message names the field; the cause is dropped as it may echo a personal value.
                kind = getattr(targets[name], "__name__", str(targets[name]))
                msg = f"{show(name, value)} is not a valid {kind}"
                raise InvalidRecordError(msg) from None
        attributes = tuple((k, v) for k, v in data.items() if k not in targets)
        return record_type(**kwargs, attributes=attributes)

    conv.register_unstructure_hook(record_type, unstructure)
    conv.register_structure_hook(record_type, structure)


def _records_namespace() -> dict[str, Any]:
    from . import _records
    from ._columns import CohortColumns

    return {**vars(_records), "dt": dt, "CohortColumns": CohortColumns}


def _strip_none(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(args) == 1:
        return args[0]
    return annotation


converter: JsonConverter = _make()
"""
The library's converter (cattrs, JSON flavour). Never ``cattrs.global_converter``.

Examples:
    >>> converter.unstructure(CollegeCode.parse("001817-05"))
    '001817-05'
    >>> from edoutcomes.model import CollegeType
    >>> converter.structure("4", CollegeType)
    <CollegeType.FOUR_YEAR: '4'>
"""


def unstructure(obj: Any) -> Any:
    """
    Turn a domain object into JSON-ready data (canonical names, ISO dates, published codes).

    Examples:
        >>> import datetime as dt
        >>> unstructure(Student("7", hs_grad_date=dt.date(2012, 6, 1), attributes={"pell": True}))["hs_grad_date"]
        '2012-06-01'
    """
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """
    The inverse of :func:`unstructure`.

    Examples:
        >>> structure({"requester_id": "7", "hs_grad_date": "2012-06-01"}, Student).hs_grad_date
        datetime.date(2012, 6, 1)
        >>> student = Student("7", attributes={"pell": True})
        >>> structure(unstructure(student), Student) == student
        True
    """
    return converter.structure(data, cls)
