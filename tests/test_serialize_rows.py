"""The per-document codec's row check: exact JSON types pass at once, anything else is
judged field by field as before (accepted if its field's type allows it, refused if not)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.factories import documents, sample_reports
from viewer.core.model import DocumentResult
from viewer.core.serialize import result_from_dict, result_to_dict


class _Title(str):
    """A str subclass: not what json.loads gives, but a str all the same."""


def _result() -> DocumentResult:
    a, _ = documents()
    return DocumentResult(a, tuple(r for r in sample_reports() if r.document == a.id), ())


def test_a_value_of_a_subclass_of_its_field_type_still_round_trips() -> None:
    result = _result()
    odd = dataclasses.replace(result, document=dataclasses.replace(
        result.document, title=_Title(result.document.title)))
    assert result_from_dict(result_to_dict(odd)) == odd


@pytest.mark.parametrize("value", [3.0, "3", None, [3]])
def test_an_integer_field_holding_anything_else_is_refused(value: object) -> None:
    data = result_to_dict(_result())
    reports = data["result"][1]
    excerpt = reports[0][7][0]  # Report.excerpts[0]
    excerpt[1] = value  # Excerpt.start
    with pytest.raises(ValueError):
        result_from_dict(data)
