#!/usr/bin/env python3
"""The differences between two compiled copies of the CEN EN 16931 UBL rules.

SI-UBL 2.0.3.12's official XSLT embeds its own copy of the CEN rules (version 1.3.15); the
EN 16931 set factuur implements is CEN 1.3.16. This script reads the asserts of both compiled
stylesheets (per pattern, in order: context, id, flag, test, and the variables a rule defines)
and prints every difference, so the list of versioned rules in
src/validate/ubl/en16931/version.rs can be checked against the official files at any time.

usage:
    cen_versions.py [--old XSL] [--new XSLT] [--tsv | --check RUST_FILE]

Defaults: testdata/official/si-ubl/si-ubl-2.0.3.12.xsl (its CEN patterns: UBL-model,
UBL-syntax, Codesmodel) against testdata/official/en16931/EN16931-UBL-validation-1.3.16.xslt.
Run from anywhere; needs lxml.
With --tsv, one line per assert of the old file instead (pattern, position, context, id, flag,
test), for inspection with other tools. With --check src/validate/ubl/en16931/version.rs, it
compares the ids that differ with the ids that file edits (`Edit::Test("id"`, `Edit::Drop("id"`,
and the `id: "…"` of the rules it adds or replaces) and exits 1 when they are not the same.

Output: one block per difference, `kind id`, then the old and new forms. Kinds:
  only-old / only-new   an assert in one version only
  test                  the same id, another test
  flag                  the same id, another flag
  context               the same id, another context (or another place in the pattern's order,
                        which decides which rule sees a node first)
  variable              a variable a rule defines differs
Exit status 0 (1 for a failed --check); 2 when a file cannot be read.
"""
import argparse
import os
import re
import sys

from lxml import etree

XSL = "{http://www.w3.org/1999/XSL/Transform}"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OLD = os.path.join(REPO, "testdata/official/si-ubl/si-ubl-2.0.3.12.xsl")
NEW = os.path.join(REPO, "testdata/official/en16931/EN16931-UBL-validation-1.3.16.xslt")
CEN_PATTERNS = ("UBL-model", "UBL-syntax", "Codesmodel")


def norm(s):
    return " ".join((s or "").split())


def patterns(path):
    """{pattern: [rule]}, each rule {context, priority, asserts: [(id, flag, test)], vars}."""
    root = etree.parse(path).getroot()
    # The pattern a template belongs to is named by the comment `PATTERN name` before it;
    # templates of one pattern share a mode.
    mode_of = {}
    current = None
    for node in root:
        if isinstance(node, etree._Comment) and node.text.strip().startswith("PATTERN"):
            current = node.text.strip().split(None, 1)[1].strip()
        elif node.tag == XSL + "template" and node.get("mode", "").startswith("M") and current:
            mode_of.setdefault(node.get("mode"), current)
    out = {}
    for t in root.iter(XSL + "template"):
        mode = t.get("mode", "")
        if mode not in mode_of or t.get("priority") is None:
            continue
        asserts = []
        for fa in t.iter(SVRL + "failed-assert", SVRL + "successful-report"):
            attrs = {a.get("name"): norm(a.text) for a in fa.iter(XSL + "attribute")}
            rid = fa.get("id") or attrs.get("id")
            flag = fa.get("flag") or attrs.get("flag")
            kind = "report" if fa.tag == SVRL + "successful-report" else "assert"
            asserts.append((rid, flag, norm(fa.get("test")), kind))
        variables = [
            (v.get("name"), norm(v.get("select"))) for v in t.findall(XSL + "variable")
        ]
        out.setdefault(mode_of[mode], []).append(
            {
                "context": norm(t.get("match")),
                "priority": int(t.get("priority")),
                "asserts": asserts,
                "vars": variables,
            }
        )
    for rules in out.values():
        rules.sort(key=lambda r: -r["priority"])
    return out


def flat(rules):
    """{id: (position of its rule, context, flag, test, kind)} and the rules' variables."""
    by_id = {}
    for pos, r in enumerate(rules):
        for rid, flag, test, kind in r["asserts"]:
            by_id.setdefault(rid, []).append((pos, r["context"], flag, test, kind))
    return by_id


def order(rules):
    """The order of contexts (as the first id of each rule names it)."""
    return [r["asserts"][0][0] if r["asserts"] else r["context"] for r in rules]


def diff(old, new):
    lines = []
    for pattern in CEN_PATTERNS:
        o, n = old.get(pattern, []), new.get(pattern, [])
        fo, fn = flat(o), flat(n)
        for rid in sorted(set(fo) | set(fn), key=lambda x: (x is None, x)):
            a, b = fo.get(rid), fn.get(rid)
            if a is None:
                for x in b:
                    lines.append(("only-new", pattern, rid, None, x))
                continue
            if b is None:
                for x in a:
                    lines.append(("only-old", pattern, rid, x, None))
                continue
            for x, y in zip(a, b):
                if x[1] != y[1]:
                    lines.append(("context", pattern, rid, x, y))
                if x[3] != y[3]:
                    lines.append(("test", pattern, rid, x, y))
                if x[2] != y[2]:
                    lines.append(("flag", pattern, rid, x, y))
            if len(a) != len(b):
                lines.append(("count", pattern, rid, a, b))
        # Rule order: which context comes first decides which rule sees a node.
        oo = [c for c in order(o) if c in set(order(n))]
        on = [c for c in order(n) if c in set(order(o))]
        if oo != on:
            lines.append(("order", pattern, None, oo, on))
        vo = {(r["context"], v) for r in o for v in r["vars"]}
        vn = {(r["context"], v) for r in n for v in r["vars"]}
        for v in sorted(vo - vn):
            lines.append(("variable", pattern, v[1][0], v, None))
        for v in sorted(vn - vo):
            lines.append(("variable", pattern, v[1][0], None, v))
    return lines


LIST = re.compile(r"'( [^']*)'")


def lists(test):
    """The test with its quoted code lists taken out, and the lists."""
    found = [m for m in LIST.findall(test) if len(m.split()) > 3]
    bare = test
    for k, m in enumerate(found):
        bare = bare.replace("'" + m + "'", f"'<list {k}>'", 1)
    return bare, found


def list_change(x, y):
    """For two tests that differ only in their code lists: what each list gained and lost.
    A list whose last code has no space after it can never match that code (the tests look
    for ' CODE ')."""
    bo, lo = lists(x)
    bn, ln = lists(y)
    if bo != bn or len(lo) != len(ln):
        return None
    out = []
    for k, (a, b) in enumerate(zip(lo, ln)):
        def usable(l):
            toks = l.split()
            return set(toks if l.endswith(" ") else toks[:-1])
        ua, ub = usable(a), usable(b)
        gained, lost = sorted(ub - ua), sorted(ua - ub)
        if gained or lost:
            out.append(f"list {k}: 1.3.16 accepts also {gained or '-'}; 1.3.15 accepts also {lost or '-'}")
    return out


def show(x):
    if x is None:
        return "-"
    if isinstance(x, tuple) and len(x) == 5:
        pos, context, flag, test, kind = x
        return f"#{pos} {flag} {kind} [{context}] {test}"
    return repr(x)


def check(differences, rust_file):
    """Whether the Rust file edits exactly the asserts that differ."""
    text = open(rust_file, encoding="utf-8").read()
    edited = set(re.findall(r'Edit::(?:Test|Drop)\("([^"]+)"', text))
    edited |= set(re.findall(r'\bid: "([^"]+)"', text))
    differ = set()
    for kind, pattern, rid, _, _ in differences:
        if rid is None:
            print(f"cen_versions.py: a {kind} difference in {pattern} needs a look by hand", file=sys.stderr)
            return 1
        differ.add(rid)
    if edited != differ:
        print(f"cen_versions.py: {rust_file} edits {sorted(edited - differ)} that do not differ "
              f"and misses {sorted(differ - edited)}", file=sys.stderr)
        return 1
    print(f"{len(differ)} rules differ between the versions; {rust_file} edits each")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", default=OLD)
    ap.add_argument("--new", default=NEW)
    ap.add_argument("--tsv", action="store_true")
    ap.add_argument("--check", metavar="RUST_FILE")
    a = ap.parse_args()
    try:
        old, new = patterns(a.old), patterns(a.new)
    except (OSError, etree.XMLSyntaxError) as e:
        print(f"cen_versions.py: {e}", file=sys.stderr)
        return 2
    if a.tsv:
        for pattern in CEN_PATTERNS:
            for pos, r in enumerate(old.get(pattern, [])):
                for rid, flag, test, kind in r["asserts"]:
                    print("\t".join([pattern, str(pos), r["context"], rid or "", flag or "", test]))
        return 0
    if a.check:
        return check(diff(old, new), a.check)
    counts = {p: sum(len(r["asserts"]) for r in old.get(p, [])) for p in CEN_PATTERNS}
    countn = {p: sum(len(r["asserts"]) for r in new.get(p, [])) for p in CEN_PATTERNS}
    print(f"# old: {os.path.basename(a.old)} {counts}")
    print(f"# new: {os.path.basename(a.new)} {countn}")
    for kind, pattern, rid, x, y in diff(old, new):
        print(f"{kind}\t{pattern}\t{rid}")
        if kind == "order":
            print(f"  old: {x}\n  new: {y}")
        elif kind == "test" and list_change(x[3], y[3]) is not None:
            print(f"  context: [{x[1]}] (code lists only)")
            for line in list_change(x[3], y[3]):
                print("  " + line)
        else:
            print(f"  old: {show(x)}\n  new: {show(y)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
