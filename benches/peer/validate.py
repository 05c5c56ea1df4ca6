#!/usr/bin/env python3
"""factuur's validation beside the official tools, on the same files, in the same run.

usage: python3 benches/peer/validate.py [--rules auto|LIST] [--repeat N] FILE...

For each file: the official verdict's time (Saxon-HE through saxonche running the official
stylesheets, compiled once beforehand, plus libxml2's XSD check through lxml, as
testdata/official/verdict.py does it: median of N runs, parsing included) and factuur's
(`examples/validate_speed`: parse, structure check and the same rule sets, median of repeated
runs), with the ratio. `auto` picks the sets as `factuur validate` does. Needs saxonche and lxml
and a release build of the example (the script builds it).
"""
import argparse, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OFFICIAL = os.path.join(ROOT, "testdata", "official")
sys.path.insert(0, OFFICIAL)
import verdict  # noqa: E402  (the official stylesheets and schemas, as the tests use them)
from lxml import etree  # noqa: E402
from saxonche import PySaxonProcessor  # noqa: E402

NLCIUS = ("#compliant#urn:fdc:nen.nl:nlcius:v1.0", "#conformant#urn:fdc:nen.nl:gaccount:v1.0")
PEPPOL = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


def auto(path):
    root = etree.parse(path).getroot()
    c = root.find(CBC + "CustomizationID")
    claimed = " ".join((c.text or "").split()) if c is not None else ""
    if any(k in claimed for k in NLCIUS):
        return ["nlcius"]
    if claimed.startswith(PEPPOL):
        return ["en16931", "peppol"]
    return ["en16931"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="default: the 8.9 KB SI-UBL sample and 100- and 1,000-line invoices")
    ap.add_argument("--rules", default="auto")
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "validate_speed"], cwd=ROOT, check=True)
    tool = os.path.join(ROOT, "target", "release", "examples", "validate_speed")
    if not a.files:
        a.files = [os.path.join(ROOT, "testdata", "pdf", "ubl", "2026-00017.xml")]
        for n in (100, 1000):
            path = os.path.join(ROOT, "target", f"validate-{n}-lines.xml")
            subprocess.run([tool, "--make", str(n), path], cwd=ROOT, check=True)
            a.files.append(path)
    mine = {}
    out = subprocess.run([tool, "--rules", a.rules, *a.files],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        r = json.loads(line)
        mine[r["file"]] = r
    proc = PySaxonProcessor(license=False)
    xp = proc.new_xslt30_processor()
    t = time.perf_counter()
    exes = {n: xp.compile_stylesheet(stylesheet_file=os.path.join(OFFICIAL, p)) for n, (_, p) in verdict.SETS.items()}
    schemas = {ns: etree.XMLSchema(etree.parse(os.path.join(OFFICIAL, p))) for ns, p in verdict.XSD.items()}
    compile_s = time.perf_counter() - t
    print(f"official tools: stylesheets and schemas compiled once in {compile_s:.2f} s (not counted below)")
    print(f"{'file':<58} {'KB':>7} {'official ms':>12} {'factuur us':>11} {'MB/s':>7} {'ratio':>8}")
    ratios = []
    for f in a.files:
        sets = auto(f) if a.rules == "auto" else a.rules.split(",")
        times = []
        for _ in range(a.repeat):
            t = time.perf_counter()
            tree = etree.parse(f)
            schemas[etree.QName(tree.getroot()).namespace].validate(tree)
            node = proc.parse_xml(xml_file_name=os.path.abspath(f))
            for n in sets:
                try:
                    exes[n].transform_to_string(xdm_node=node)
                except Exception:
                    pass
            times.append(time.perf_counter() - t)
        official_us = statistics.median(times) * 1e6
        m = mine[f]
        ratio = official_us / m["us"]
        ratios.append(ratio)
        print(f"{os.path.relpath(f, ROOT)[-58:]:<58} {m['bytes'] / 1024:>7.1f} {official_us / 1000:>12.2f} {m['us']:>11.1f} {m['mb_s']:>7.1f} {ratio:>7.0f}x")
    if ratios:
        print(f"ratio official / factuur: median {statistics.median(ratios):.0f}x, min {min(ratios):.0f}x, max {max(ratios):.0f}x over {len(ratios)} files")


if __name__ == "__main__":
    main()
