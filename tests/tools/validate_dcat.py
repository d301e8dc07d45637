"""Validate a DCAT-US 1.1 catalogue (data.json) against the official JSON
Schema (draft-04) kept in dcat-us-1.1/.

Usage: python3 validate_dcat.py DATA.json SCHEMA_DIR [--non-federal]

With --non-federal, bureauCode and programCode are not required of a
dataset: DCAT-US asks them of U.S. federal agencies only (data.gov's
non-federal profile leaves them out).

The schemas name each other by absolute ids (https://project-open-data.cio.gov/...);
a local registry maps those ids to the files here, so nothing is fetched.
Prints one JSON object: {"datasets": N, "errors": [{"path": ..., "message": ...}]}.
Exit 0 when it ran.
"""
import json
import os
import sys
import urllib.parse

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

catalog = json.load(open(sys.argv[1], encoding="utf-8"))
folder = sys.argv[2]
non_federal = "--non-federal" in sys.argv[3:]
resources = []
for name in ["catalog.json", "dataset.json", "distribution.json", "organization.json", "vcard.json"]:
    schema = json.load(open(os.path.join(folder, name), encoding="utf-8"))
    if non_federal and name == "dataset.json":
        schema["required"] = [r for r in schema["required"] if r not in ("bureauCode", "programCode")]
    base = schema["id"].rstrip("#")
    resources.append((base, Resource.from_contents(schema, default_specification=DRAFT4)))
    resources.append((base + "#", Resource.from_contents(schema, default_specification=DRAFT4)))
registry = Registry().with_resources(resources)
root = json.load(open(os.path.join(folder, "catalog.json"), encoding="utf-8"))
# Draft 4's `uri` format is only checked with an optional package; an
# absolute URI (a scheme, and a host for web addresses) is checked here.
checker = jsonschema.FormatChecker()


@checker.checks("uri")
def is_uri(value):
    if not isinstance(value, str):
        return True
    u = urllib.parse.urlparse(value)
    return bool(u.scheme) and (bool(u.netloc) or u.scheme in ("mailto", "urn")) and " " not in value


validator = jsonschema.Draft4Validator(root, registry=registry, format_checker=checker)
errors = []
for e in validator.iter_errors(catalog):
    causes = e.context or [e]
    for c in causes:
        errors.append({"path": "/".join(map(str, c.absolute_path)), "message": c.message})
print(json.dumps({"datasets": len(catalog.get("dataset", [])), "errors": errors}))
