#!/usr/bin/env python3
"""Structural PDF/A-3b check of a factuur PDF, with pikepdf.

Usage: pdfa3_check.py FILE.pdf [--attachment NAME] [--plain]

Checks what PDF/A-3b (ISO 19005-3) requires of the structure and what factuur claims:
version <= 1.7, no encryption, a file identifier, XMP metadata with pdfaid:part 3 and
pdfaid:conformance B, an sRGB output intent with an embedded ICC profile, every font
embedded, no JavaScript or launch actions, no transparency groups without a blending colour
space problem we can see, and (with --attachment) the XML as an associated file:
/AF in the catalogue, /AFRelationship /Alternative, /Subtype text/xml, /Params with /ModDate.
With --plain it checks instead that the PDF does not claim PDF/A.
Prints one line per failed check and exits 1 when any failed; exits 0 and prints "ok" otherwise.
"""
import re
import sys

import pikepdf


def main() -> int:
    args = sys.argv[1:]
    path = args[0]
    attachment = None
    plain = "--plain" in args
    if "--attachment" in args:
        attachment = args[args.index("--attachment") + 1]
    failures = []

    def check(cond, message):
        if not cond:
            failures.append(message)

    pdf = pikepdf.open(path)
    root = pdf.Root
    meta = pdf.open_metadata()
    xmp = str(meta)

    if plain:
        check("pdfaid:part" not in xmp and "pdfaid" not in xmp, "a plain PDF claims PDF/A")
        check("/OutputIntents" not in root, "a plain PDF has an output intent")
    else:
        check(pdf.pdf_version <= "1.7", f"PDF version {pdf.pdf_version} > 1.7")
        check(not pdf.is_encrypted, "encrypted")
        check("/ID" in pdf.trailer and len(pdf.trailer.ID) == 2, "no file identifier /ID")
        check("/Metadata" in root, "no XMP metadata stream in the catalogue")
        part = meta.get("pdfaid:part")
        conf = meta.get("pdfaid:conformance")
        check(str(part) == "3", f"pdfaid:part is {part!r}, not 3")
        check(str(conf) == "B", f"pdfaid:conformance is {conf!r}, not B")
        check(bool(meta.get("dc:title")), "no dc:title in XMP")
        intents = root.get("/OutputIntents")
        check(intents is not None and len(intents) >= 1, "no output intent")
        if intents is not None and len(intents) >= 1:
            oi = intents[0]
            check(oi.get("/S") == "/GTS_PDFA1", f"output intent subtype {oi.get('/S')}")
            prof = oi.get("/DestOutputProfile")
            check(prof is not None, "output intent without an ICC profile")
            if prof is not None:
                check(int(prof.get("/N", 0)) == 3, "output intent profile is not RGB (N != 3)")
                data = prof.read_bytes()
                check(len(data) > 128 and data[36:40] == b"acsp", "ICC profile is not an ICC profile")
        # Fonts: every font descriptor must carry an embedded font program.
        fonts = 0
        for page in pdf.pages:
            res = page.get("/Resources", {})
            for _, font in res.get("/Font", {}).items():
                fonts += 1
                descendants = font.get("/DescendantFonts")
                targets = [descendants[0]] if descendants is not None else [font]
                for f in targets:
                    fd = f.get("/FontDescriptor")
                    check(fd is not None, f"font {f.get('/BaseFont')} has no descriptor")
                    if fd is not None:
                        check(
                            any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")),
                            f"font {f.get('/BaseFont')} is not embedded",
                        )
                check("/ToUnicode" in font, f"font {font.get('/BaseFont')} has no ToUnicode map")
        check(fonts > 0, "no fonts at all")
        # No actions PDF/A forbids.
        raw = open(path, "rb").read()
        check(b"/JavaScript" not in raw and b"/Launch" not in raw, "JavaScript or Launch action")

    names = root.get("/Names")
    files = names.get("/EmbeddedFiles") if names is not None else None
    if attachment is None:
        check(files is None, "unexpected embedded files")
    else:
        check(files is not None, "no /EmbeddedFiles name tree")
        af = root.get("/AF")
        check(af is not None and len(af) == 1, "catalogue /AF does not list exactly one file")
        if af is not None and len(af) == 1:
            spec = af[0]
            check(str(spec.get("/F")) == attachment, f"/F is {spec.get('/F')}, not {attachment}")
            check(str(spec.get("/UF")) == attachment, f"/UF is {spec.get('/UF')}, not {attachment}")
            check(spec.get("/AFRelationship") == "/Alternative",
                  f"/AFRelationship is {spec.get('/AFRelationship')}")
            check(bool(spec.get("/Desc")), "file spec without /Desc")
            ef = spec.get("/EF")
            stream = ef.get("/F") if ef is not None else None
            check(stream is not None, "file spec without /EF /F stream")
            if stream is not None:
                check(stream.get("/Subtype") == "/text#2Fxml" or str(stream.get("/Subtype")) == "/text/xml",
                      f"embedded file /Subtype is {stream.get('/Subtype')}")
                params = stream.get("/Params")
                check(params is not None and "/ModDate" in params, "embedded file without /Params /ModDate")
                data = stream.read_bytes()
                check(len(data) > 0 and data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"),
                      "embedded file is not XML")
                if params is not None and "/Size" in params:
                    check(int(params.Size) == len(data), "embedded /Size does not match the data")
        check(re.search(r"pdfaid:part", xmp) is not None or plain, "hybrid without pdfaid")

    for f in failures:
        print(f"FAIL: {f}")
    if failures:
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
