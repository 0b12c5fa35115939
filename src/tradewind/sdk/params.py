"""DAG and task params (`Param`, `ParamsDict`) and their validation against a run's conf.

jsonschema is imported only when a value is validated, so declaring params stays cheap.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from tradewind.errors import ParamValidationError


class _NotSet:
    """The marker for a Param declared without a default (a required value)."""

    def __repr__(self) -> str:
        return "NOTSET"

    def __bool__(self) -> bool:
        return False


NOTSET: Any = _NotSet()


class Param:
    """A param value with a JSON-Schema (`Param(5, type="integer", minimum=0)`)."""

    def __init__(self, default: Any = NOTSET, description: str | None = None, **schema: Any) -> None:
        self.value = default
        self.description = description
        self.schema: dict[str, Any] = dict(schema.pop("schema")) if "schema" in schema else schema

    def has_value(self) -> bool:
        """Whether a default (or a value) was given."""
        return self.value is not NOTSET

    def resolve(self, value: Any = NOTSET, *, name: str = "param") -> Any:
        """Validate `value` (or the default when not given) and return it."""
        chosen = self.value if value is NOTSET else value
        check_value(name, chosen, self.schema)
        return chosen

    def serialize(self) -> dict[str, Any]:
        """A JSON-able description: default (None when unset), schema and description."""
        return {"default": None if self.value is NOTSET else self.value, "schema": dict(self.schema),
                "description": self.description}

    def dump(self) -> dict[str, Any]:
        """Airflow's name for serialize()."""
        return self.serialize()

    def __copy__(self) -> Param:
        return Param(self.value, self.description, schema=copy.deepcopy(self.schema))

    def __repr__(self) -> str:
        return f"Param({self.value!r}, schema={self.schema!r})"


class ParamsDict(MutableMapping[str, Any]):
    """Params by name: reading gives the value, `get_param` gives the Param; plain values are wrapped."""

    def __init__(self, dict_obj: Mapping[str, Any] | None = None, suppress_exception: bool = False) -> None:
        self._params: dict[str, Param] = {}
        self.suppress_exception = suppress_exception
        if isinstance(dict_obj, ParamsDict):
            self._params = {k: copy.copy(p) for k, p in dict_obj._params.items()}
        elif dict_obj:
            for key, value in dict_obj.items():
                self[key] = value

    def __getitem__(self, key: str) -> Any:
        value = self._params[key].value
        return None if value is NOTSET else value

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, Param):
            self._params[key] = value
        elif key in self._params:
            self._params[key] = Param(value, self._params[key].description, schema=self._params[key].schema)
        else:
            self._params[key] = Param(value)

    def __delitem__(self, key: str) -> None:
        del self._params[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __repr__(self) -> str:
        return f"ParamsDict({self._params!r})"

    def get_param(self, key: str) -> Param:
        """The Param object named `key`."""
        return self._params[key]

    def items_params(self) -> list[tuple[str, Param]]:
        """(name, Param) pairs."""
        return list(self._params.items())

    def dump(self) -> dict[str, Any]:
        """The plain values by name."""
        return {k: self[k] for k in self._params}

    def serialize(self) -> dict[str, dict[str, Any]]:
        """{"name": {"default": ..., "schema": {...}, "description": ...}} for every param."""
        return {k: p.serialize() for k, p in self._params.items()}

    def validate(self, conf: dict[str, Any] | None = None) -> dict[str, Any]:
        """The validated values, with `conf` overriding; ParamValidationError otherwise."""
        return validate_params(self, conf)

    def __copy__(self) -> ParamsDict:
        return ParamsDict(self, self.suppress_exception)

    def copy(self) -> ParamsDict:
        """A copy whose Params can be changed without touching this one."""
        return ParamsDict(self, self.suppress_exception)


def merge_params(*sources: Any) -> ParamsDict:
    """One ParamsDict from several sources, later ones winning; plain values keep an earlier schema."""
    merged = ParamsDict()
    for source in sources:
        if not source:
            continue
        if isinstance(source, ParamsDict):
            for key, param in source.items_params():
                merged[key] = copy.copy(param)
        else:
            for key, value in source.items():
                merged[key] = value
    return merged


def parse_conf(text: str | None, *, field: str = "conf") -> dict[str, Any]:
    """A run's conf typed as JSON (command line, trigger form): an object, or {} when empty.

    ParamValidationError names `field` and says what is wrong.
    """
    import json

    text = (text or "").strip()
    if not text:
        return {}
    try:
        conf = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParamValidationError(f"{field} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    if not isinstance(conf, dict):
        raise ParamValidationError(f"{field} must be a JSON object such as {{\"n\": 7}}, not {text!r}")
    return conf


def validate_params(params: ParamsDict | Mapping[str, Any] | None, conf: Mapping[str, Any] | None) -> dict[str, Any]:
    """The run's param values: `conf` overrides the defaults, each checked against its schema.

    `params` may be a ParamsDict or its serialized form ({"n": {"default": 5, "schema": {...}}}).
    Raises ParamValidationError naming the param and the rule, e.g. "n must be >= 0".
    """
    conf = dict(conf or {})
    result: dict[str, Any] = {}
    for name, (default, schema) in _entries(params).items():
        from_conf = name in conf
        value = conf.pop(name) if from_conf else default
        # A serialized param has no NOTSET: a None default under a non-null type means "required".
        if value is NOTSET or (not from_conf and value is None and _refuses_null(schema)):
            raise ParamValidationError(f"{name} is required: give it a value in the run's conf")
        check_value(name, value, schema)
        result[name] = value
    result.update(conf)
    return result


def _entries(params: Any) -> dict[str, tuple[Any, dict[str, Any]]]:
    if params is None:
        return {}
    if isinstance(params, ParamsDict):
        return {k: (p.value, p.schema) for k, p in params.items_params()}
    entries: dict[str, tuple[Any, dict[str, Any]]] = {}
    for name, spec in params.items():
        if isinstance(spec, Param):
            entries[name] = (spec.value, spec.schema)
        elif isinstance(spec, Mapping) and "schema" in spec:
            entries[name] = (spec.get("default", NOTSET), dict(spec.get("schema") or {}))
        else:
            entries[name] = (spec, {})
    return entries


def _refuses_null(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    if kind is None:
        return False
    kinds = kind if isinstance(kind, list) else [kind]
    return "null" not in kinds


def check_value(name: str, value: Any, schema: Mapping[str, Any]) -> None:
    """Raise ParamValidationError in plain words when `value` breaks `schema`."""
    if value is NOTSET:
        raise ParamValidationError(f"{name} is required: give it a value in the run's conf")
    if not schema:
        return
    import jsonschema

    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if error is not None:
        raise ParamValidationError(describe_violation(name, error))


_RULE_WORDS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
}


def describe_violation(name: str, error: Any) -> str:
    """One plain sentence for a jsonschema error: "n must be >= 0", "label must be one of ['a', 'b']"."""
    where = name + "".join(f"[{p!r}]" for p in error.absolute_path)
    rule, expected = error.validator, error.validator_value
    if rule in _RULE_WORDS:
        return f"{where} must be {_RULE_WORDS[rule]} {expected}"
    if rule == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return f"{where} must be of type {' or '.join(kinds)}"
    if rule == "enum":
        return f"{where} must be one of {list(expected)!r}"
    if rule == "const":
        return f"{where} must be {expected!r}"
    if rule in ("minLength", "maxLength"):
        return f"{where} must be {'at least' if rule == 'minLength' else 'at most'} {expected} characters long"
    if rule in ("minItems", "maxItems"):
        return f"{where} must have {'at least' if rule == 'minItems' else 'at most'} {expected} items"
    if rule == "pattern":
        return f"{where} must match the pattern {expected!r}"
    if rule == "format":
        return f"{where} must be a valid {expected}"
    if rule == "multipleOf":
        return f"{where} must be a multiple of {expected}"
    return f"{where}: {error.message}"
