"""JSON Schemas of the flat and the nested report forms, derived from the template."""

from __future__ import annotations

from typing import Any

from .template import META_KEYS, TEXT_KEYS, edition

_DECIMAL = {"type": ["string", "null"], "pattern": r"^\d+(\.\d+)?$"}
_TEXT = {"type": ["string", "null"]}
_META = {
    "meta.agency": {"type": ["string", "null"]},
    "meta.year": {"type": ["integer", "null"], "minimum": 1990, "maximum": 2100},
    "meta.published": {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
}


def _value(edition_id: str, key: str) -> dict[str, Any]:
    column = edition(edition_id).cell(key).column
    if column.type == "money":
        return _DECIMAL
    return {"type": ["integer", "null"]} if column.signed else {"type": ["integer", "null"], "minimum": 0}


def flat_schema(edition_id: str) -> dict[str, Any]:
    """The flat form of one edition: every key required, except the optional ones."""
    ed = edition(edition_id)
    properties: dict[str, Any] = dict(_META)
    properties["meta.edition"] = {"const": ed.id}
    for key in (*ed.table_keys, *ed.collapsed_cells):
        properties[key] = _value(ed.id, key)
    for key in TEXT_KEYS:
        properties[key] = _TEXT
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"gongkai flat report, edition {ed.id}",
        "type": "object",
        "properties": properties,
        "required": [*META_KEYS, *ed.table_keys, *TEXT_KEYS],
        "additionalProperties": False,
    }


def nested_schema(edition_id: str) -> dict[str, Any]:
    """The nested form: the flat keys split on dots."""
    flat = flat_schema(edition_id)
    root: dict[str, Any] = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
    for key, sub in flat["properties"].items():
        node = root
        *parents, leaf = key.split(".")
        for part in parents:
            props = node["properties"]
            if part not in props or "properties" not in props[part]:
                props[part] = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
                if part not in node["required"] and key in flat["required"]:
                    node["required"].append(part)
            node = props[part]
        node["properties"][leaf] = sub
        if key in flat["required"]:
            node["required"].append(leaf)
    return {"$schema": flat["$schema"], "title": f"gongkai report, edition {edition_id}", **root}


def report_schema() -> dict[str, Any]:
    """Either edition, flat or nested."""
    return {"oneOf": [s(e) for e in ("2021", "2019") for s in (flat_schema, nested_schema)]}
