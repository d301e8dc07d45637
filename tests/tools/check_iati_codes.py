"""Check IATI codes against the IATI code lists kept in iati-2.03/codelists.

    python3 check_iati_codes.py FILE.xml CODELISTS_DIR
        Every code an IATI activity or organisation file uses (organisation
        types and roles, activity status and date types, transaction types,
        document categories and languages, sectors, countries, currencies,
        and the registration agency each organisation identifier starts
        with) must be in its list. The XML Schema does not check codes.

    python3 check_iati_codes.py src/model/codes CODELISTS_DIR
        The lists Gazette embeds (codes/*.txt and the organisation types in
        codes.rs) must equal the active codes of the official lists.

Prints one JSON object: {"codes": N, "errors": [...]}. Exit 0 when it ran.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

target, folder = sys.argv[1], sys.argv[2]


def codes(name, active_only=True):
    root = ET.parse(os.path.join(folder, name + ".xml")).getroot()
    out = {}
    for item in root.iter("codelist-item"):
        if active_only and item.get("status") == "withdrawn":
            continue
        out[item.findtext("code").strip()] = " ".join(item.find("name/narrative").text.split())
    return out


errors = []
count = 0

if os.path.isdir(target):
    def embedded(path):
        pairs = {}
        for line in open(path, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            code, name = line.rstrip("\n").split("\t", 1)
            pairs[code] = name
        return pairs

    for txt, name in [("iati_agencies.txt", "OrganisationRegistrationAgency"), ("dac_sectors.txt", "Sector")]:
        ours, theirs = embedded(os.path.join(target, txt)), codes(name)
        count += len(ours)
        if ours != theirs:
            missing = sorted(set(theirs) - set(ours))[:10]
            extra = sorted(set(ours) - set(theirs))[:10]
            renamed = sorted(c for c in set(ours) & set(theirs) if ours[c] != theirs[c])[:10]
            errors.append({"list": name, "missing": missing, "extra": extra, "renamed": renamed})
    rs = open(os.path.join(os.path.dirname(target.rstrip("/")), "codes.rs"), encoding="utf-8").read()
    block = rs[rs.index("IATI_ORG_TYPES"):]
    block = block[: block.index("];")]
    ours = dict(re.findall(r'\("(\d+)", "([^"]+)"\)', block))
    count += len(ours)
    if ours != codes("OrganisationType"):
        errors.append({"list": "OrganisationType", "ours": ours})
else:
    lists = {n: codes(n, active_only=False) for n in [
        "OrganisationType", "OrganisationRole", "ActivityStatus", "ActivityDateType",
        "TransactionType", "DocumentCategory", "Language", "Sector", "Country", "Currency",
    ]}
    agencies = sorted(codes("OrganisationRegistrationAgency"), key=len, reverse=True)
    root = ET.parse(target).getroot()

    def need(value, listname, where):
        global count
        count += 1
        if value not in lists[listname]:
            errors.append({"where": where, "code": value, "list": listname})

    def identifier(value, where):
        global count
        count += 1
        if not any(value.startswith(a + "-") and len(value) > len(a) + 1 for a in agencies):
            errors.append({"where": where, "identifier": value, "list": "OrganisationRegistrationAgency"})

    for el in root.iter():
        tag = el.tag
        if tag in ("reporting-org", "participating-org", "provider-org", "receiver-org"):
            if el.get("type") is not None:
                need(el.get("type"), "OrganisationType", tag + "/@type")
            if el.get("ref") is not None:
                identifier(el.get("ref"), tag + "/@ref")
        if tag == "participating-org":
            need(el.get("role"), "OrganisationRole", "participating-org/@role")
        if tag == "activity-status":
            need(el.get("code"), "ActivityStatus", tag)
        if tag == "activity-date":
            need(el.get("type"), "ActivityDateType", tag)
        if tag == "transaction-type":
            need(el.get("code"), "TransactionType", tag)
        if tag == "category":
            need(el.get("code"), "DocumentCategory", tag)
        if tag == "language":
            need(el.get("code"), "Language", tag)
        if tag == "sector" and el.get("vocabulary", "1") == "1":
            need(el.get("code"), "Sector", tag)
        if tag == "recipient-country":
            need(el.get("code"), "Country", tag)
        if tag == "value" and el.get("currency") is not None:
            need(el.get("currency"), "Currency", "value/@currency")
        if tag == "iati-activity" and el.get("default-currency") is not None:
            need(el.get("default-currency"), "Currency", "iati-activity/@default-currency")
        if tag in ("iati-identifier", "organisation-identifier"):
            identifier(el.text or "", tag)

print(json.dumps({"codes": count, "errors": errors}))
