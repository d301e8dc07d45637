"""Validate a Gazette 360Giving export against the official grant schema.

Usage: python3 validate_360giving.py EXPORT.json SCHEMA.json

Prints one JSON object: {"grants": N, "errors": [{"grant": id, "path": ..., "message": ...}]}.
Each grant is validated against the grant schema (draft 2020-12) on its own,
so the package schema's remote $ref is not needed. Exit 0 when it ran.
"""
import json
import sys

import jsonschema

export = json.load(open(sys.argv[1], encoding="utf-8"))
schema = json.load(open(sys.argv[2], encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = []
for grant in export.get("grants", []):
    for e in validator.iter_errors(grant):
        # oneOf failures carry the real reasons in their context.
        causes = e.context or [e]
        for c in causes:
            errors.append({"grant": grant.get("id"), "path": "/".join(map(str, c.absolute_path)), "message": c.message})
print(json.dumps({"grants": len(export.get("grants", [])), "version": export.get("version"), "errors": errors}))
