"""Params: declaration, serialization and validation against a run's conf."""

from __future__ import annotations

import pytest

from tradewind.errors import ParamValidationError
from tradewind.sdk.params import Param, ParamsDict, validate_params

PARAMS = ParamsDict({"n": Param(5, type="integer", minimum=0), "label": Param("a", enum=["a", "b"]), "plain": 3})


def test_conf_overrides_defaults_and_extra_keys_pass_through() -> None:
    assert validate_params(PARAMS, {"n": 7, "other": True}) == {"n": 7, "label": "a", "plain": 3, "other": True}


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ({"n": -1}, "n must be >= 0"),
        ({"n": "ten"}, "n must be of type integer"),
        ({"label": "c"}, "label must be one of ['a', 'b']"),
    ],
)
def test_rule_violations_are_described_in_plain_words(conf: dict[str, object], message: str) -> None:
    with pytest.raises(ParamValidationError) as caught:
        validate_params(PARAMS, conf)
    assert str(caught.value) == message


def test_a_param_without_default_is_required() -> None:
    params = ParamsDict({"n": Param(type="integer")})
    with pytest.raises(ParamValidationError, match="n is required"):
        validate_params(params, {})
    assert validate_params(params, {"n": 1}) == {"n": 1}


def test_serialized_params_validate_the_same_way() -> None:
    serialized = ParamsDict({"n": Param(type="integer", minimum=0, description="count")}).serialize()
    assert serialized == {"n": {"default": None, "schema": {"type": "integer", "minimum": 0}, "description": "count"}}
    with pytest.raises(ParamValidationError, match="n is required"):
        validate_params(serialized, None)
    with pytest.raises(ParamValidationError, match="n must be >= 0"):
        validate_params(serialized, {"n": -2})


def test_other_rules() -> None:
    params = {"s": Param("abc", type="string", minLength=2, maxLength=3), "d": Param("2026-01-01", format="date")}
    with pytest.raises(ParamValidationError, match="s must be at least 2 characters long"):
        validate_params(params, {"s": "x"})
    with pytest.raises(ParamValidationError, match="d must be a valid date"):
        validate_params(params, {"d": "yesterday"})


def test_params_dict_reads_values_and_keeps_schemas() -> None:
    params = ParamsDict({"n": Param(5, type="integer")})
    params["n"] = 6
    assert params["n"] == 6 and params.get_param("n").schema == {"type": "integer"}
    assert dict(params) == {"n": 6} and params.dump() == {"n": 6}
