"""A small JSON-schema checker for model output (jsonschema is not a dependency).

Covers what pydantic-generated and hand-written tool schemas use: type, enum, const,
properties, required, additionalProperties, items, minLength/maxLength, minItems/maxItems,
minimum/maximum, anyOf/oneOf/allOf and local $refs (#/$defs/..., #/definitions/...).
Other keywords (pattern, format, ...) are ignored.
"""

from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


def schema_errors(instance: Any, schema: dict[str, Any]) -> list[str]:
    """Every way `instance` breaks `schema`, as 'path: problem' lines; empty when it conforms."""
    return _check(instance, schema, schema, "$")


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(name, (object,)))


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return dict(node)


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str) -> list[str]:
    if "$ref" in schema:
        return _check(value, _resolve(schema["$ref"], root), root, path)
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_is_type(value, name) for name in names):
            return [f"{path}: expected {' or '.join(names)}, got {type(value).__name__}"]
    errors: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']!r}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: must be {schema['const']!r}")
    errors += _check_combinators(value, schema, root, path)
    if isinstance(value, dict):
        errors += _check_object(value, schema, root, path)
    elif isinstance(value, list):
        errors += _check_array(value, schema, root, path)
    elif isinstance(value, str):
        errors += _check_bounds(len(value), schema, "minLength", "maxLength", path, "length")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        errors += _check_bounds(value, schema, "minimum", "maximum", path, "value")
    return errors


def _check_combinators(
    value: Any, schema: dict[str, Any], root: dict[str, Any], path: str
) -> list[str]:
    errors: list[str] = []
    for sub in schema.get("allOf", []):
        errors += _check(value, sub, root, path)
    for keyword, wanted in (("anyOf", "at least one"), ("oneOf", "exactly one")):
        if keyword in schema:
            matches = sum(not _check(value, sub, root, path) for sub in schema[keyword])
            if matches == 0 or (keyword == "oneOf" and matches > 1):
                errors.append(f"{path}: matches {matches} of {keyword}, needs {wanted}")
    return errors


def _check_object(
    value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], path: str
) -> list[str]:
    errors = [f"{path}: missing {key!r}" for key in schema.get("required", []) if key not in value]
    properties: dict[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            errors += _check(item, properties[key], root, f"{path}.{key}")
        elif extra is False:
            errors.append(f"{path}: unexpected property {key!r}")
        elif isinstance(extra, dict):
            errors += _check(item, extra, root, f"{path}.{key}")
    return errors


def _check_array(
    value: list[Any], schema: dict[str, Any], root: dict[str, Any], path: str
) -> list[str]:
    errors = _check_bounds(len(value), schema, "minItems", "maxItems", path, "length")
    items = schema.get("items")
    if isinstance(items, dict):
        for index, item in enumerate(value):
            errors += _check(item, items, root, f"{path}[{index}]")
    return errors


def _check_bounds(
    measure: float, schema: dict[str, Any], low: str, high: str, path: str, what: str
) -> list[str]:
    if low in schema and measure < schema[low]:
        return [f"{path}: {what} {measure} is below {low} {schema[low]}"]
    if high in schema and measure > schema[high]:
        return [f"{path}: {what} {measure} is above {high} {schema[high]}"]
    return []
