#!/usr/bin/env python3
"""Validates UBL 2.1 documents against the OASIS UBL 2.1 XSDs with libxml2 (through lxml), many
in one process: the reference the native structure check (src/validate/ubl/schema) is compared
with in tests/it/schema_check.rs.

usage: python3 tests/tools/xsd_check.py [--xsd-dir DIR] < requests.jsonl

Each input line is a JSON object {"id": ..., "xml": "<the document>"} or {"id": ..., "path":
"file.xml"}; each output line, in input order, is {"id": ..., "xsd_ok": bool, "errors": [...]}
with libxml2's first messages, or {"id": ..., "parse_error": "..."} when lxml cannot parse the
document. As in the official verdict (verdict.py), the schema is chosen by the root's namespace
(Invoice-2 or CreditNote-2); any other root is not valid. The schemas are compiled once.
"""
import argparse
import json
import os
import sys

from lxml import etree

SCHEMAS = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "maindoc/UBL-Invoice-2.1.xsd",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "maindoc/UBL-CreditNote-2.1.xsd",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xsd-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "..", "..", "testdata", "ubl-2.1-xsd"))
    a = ap.parse_args()
    schemas = {ns: etree.XMLSchema(etree.parse(os.path.join(a.xsd_dir, p))) for ns, p in SCHEMAS.items()}
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        out = {"id": req.get("id")}
        try:
            if "xml" in req:
                tree = etree.ElementTree(etree.fromstring(req["xml"].encode("utf-8")))
            else:
                tree = etree.parse(req["path"])
        except etree.XMLSyntaxError as e:
            out["parse_error"] = str(e)
            print(json.dumps(out, ensure_ascii=False))
            continue
        schema = schemas.get(etree.QName(tree.getroot()).namespace)
        if schema is None:
            out["xsd_ok"] = False
            out["errors"] = ["root element is not a UBL 2.1 Invoice or CreditNote"]
        else:
            out["xsd_ok"] = bool(schema.validate(tree))
            out["errors"] = [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5]]
        print(json.dumps(out, ensure_ascii=False))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
