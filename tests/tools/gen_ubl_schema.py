#!/usr/bin/env python3
"""Generates src/validate/ubl/schema/tables.rs from the OASIS UBL 2.1 XSDs in testdata/ubl-2.1-xsd.

The native structure check (src/validate/ubl/schema) validates Invoice and CreditNote documents the
way libxml2 validates them against UBL-Invoice-2.1.xsd and UBL-CreditNote-2.1.xsd. This script reads
those two schemas and everything they import (the common aggregate and basic components, the
extension and signature components, the unqualified data types, the CCTS core component types,
XML-DSig and XAdES) and writes compact Rust tables:

- every named and anonymous type: its base type (for xsi:type), its attributes (name, simple
  type, required), its attribute wildcard, and its content: empty, a simple type (the data type
  of the text), element-only or mixed content with a content model, or xs:anyType;
- content models: the flat sequences UBL uses everywhere (element, min, max) as sequences, and
  everything else (the choices and wildcards of XML-DSig and XAdES) as deterministic automata
  over element names and namespace wildcards;
- every element declaration (namespace, local name, type), the global ones sorted for lookup
  (with the document roots that see them), and the named types sorted for xsi:type;
- the built-in types of XML Schema with their derivation.

It uses lxml only to read the XSD files as XML; nothing of libxml2's schema engine.

Run from the repository root:
    python3 tests/tools/gen_ubl_schema.py            # writes src/validate/ubl/schema/tables.rs
    python3 tests/tools/gen_ubl_schema.py --stdout   # prints it (the regeneration test diffs this)
"""
import argparse
import os
import sys

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
UNBOUNDED = 0xFFFF
OUT = "src/validate/ubl/schema/tables.rs"

# Namespace ids, in this order; the prefix is the one messages use.
NAMESPACES = [
    ("", ""),
    ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", ""),
    ("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", ""),
    ("urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2", "cac"),
    ("urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2", "cbc"),
    ("urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2", "ext"),
    ("urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2", "sig"),
    ("urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2", "sac"),
    ("urn:oasis:names:specification:ubl:schema:xsd:SignatureBasicComponents-2", "sbc"),
    ("http://www.w3.org/2000/09/xmldsig#", "ds"),
    ("http://uri.etsi.org/01903/v1.3.2#", "xades"),
    ("http://uri.etsi.org/01903/v1.4.1#", "xades141"),
    ("urn:oasis:names:specification:ubl:schema:xsd:UnqualifiedDataTypes-2", "udt"),
    ("urn:oasis:names:specification:ubl:schema:xsd:QualifiedDataTypes-2", "qdt"),
    ("urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2", "cct"),
    (XS, "xs"),
    (XSI, "xsi"),
]
NS_ID = {uri: i for i, (uri, _) in enumerate(NAMESPACES)}

ROOTS = [
    ("maindoc/UBL-Invoice-2.1.xsd", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice"),
    ("maindoc/UBL-CreditNote-2.1.xsd", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote"),
]

# The built-in types of XML Schema 1.0: name, base, Rust variant.
BUILTINS = [
    ("anyType", "anyType", None),
    ("anySimpleType", "anyType", "AnySimpleType"),
    ("string", "anySimpleType", "String"),
    ("normalizedString", "string", "NormalizedString"),
    ("token", "normalizedString", "Token"),
    ("language", "token", "Language"),
    ("Name", "token", "Name"),
    ("NCName", "Name", "NcName"),
    ("ID", "NCName", "Id"),
    ("IDREF", "NCName", "IdRef"),
    ("ENTITY", "NCName", "Entity"),
    ("NMTOKEN", "token", "NmToken"),
    ("IDREFS", "anySimpleType", "IdRefs"),
    ("ENTITIES", "anySimpleType", "Entities"),
    ("NMTOKENS", "anySimpleType", "NmTokens"),
    ("decimal", "anySimpleType", "Decimal"),
    ("integer", "decimal", "Integer"),
    ("nonPositiveInteger", "integer", "NonPositiveInteger"),
    ("negativeInteger", "nonPositiveInteger", "NegativeInteger"),
    ("long", "integer", "Long"),
    ("int", "long", "Int"),
    ("short", "int", "Short"),
    ("byte", "short", "Byte"),
    ("nonNegativeInteger", "integer", "NonNegativeInteger"),
    ("unsignedLong", "nonNegativeInteger", "UnsignedLong"),
    ("unsignedInt", "unsignedLong", "UnsignedInt"),
    ("unsignedShort", "unsignedInt", "UnsignedShort"),
    ("unsignedByte", "unsignedShort", "UnsignedByte"),
    ("positiveInteger", "nonNegativeInteger", "PositiveInteger"),
    ("boolean", "anySimpleType", "Boolean"),
    ("float", "anySimpleType", "Float"),
    ("double", "anySimpleType", "Double"),
    ("duration", "anySimpleType", "Duration"),
    ("dateTime", "anySimpleType", "DateTime"),
    ("time", "anySimpleType", "Time"),
    ("date", "anySimpleType", "Date"),
    ("gYearMonth", "anySimpleType", "GYearMonth"),
    ("gYear", "anySimpleType", "GYear"),
    ("gMonthDay", "anySimpleType", "GMonthDay"),
    ("gDay", "anySimpleType", "GDay"),
    ("gMonth", "anySimpleType", "GMonth"),
    ("hexBinary", "anySimpleType", "HexBinary"),
    ("base64Binary", "anySimpleType", "Base64Binary"),
    ("anyURI", "anySimpleType", "AnyUri"),
    ("QName", "anySimpleType", "QName"),
    ("NOTATION", "anySimpleType", "Notation"),
]


def fail(msg):
    sys.exit(f"gen_ubl_schema: {msg}")


def xs(tag):
    return f"{{{XS}}}{tag}"


def children(node):
    """Schema children of a schema element, without annotations."""
    return [c for c in node if isinstance(c.tag, str) and c.tag != xs("annotation")]


class Doc:
    def __init__(self, path, tree, tns):
        self.path = path
        self.root = tree.getroot()
        self.tns = tns
        self.qualified_elements = self.root.get("elementFormDefault") == "qualified"
        if self.root.get("attributeFormDefault", "unqualified") != "unqualified":
            fail(f"{path}: qualified attributes are not supported")


class Schema:
    def __init__(self, xsd_dir):
        self.dir = xsd_dir
        self.docs = {}  # path -> Doc
        self.reach = {}  # path -> bit mask of the roots whose schema includes it
        for bit, (path, ns, name) in enumerate(ROOTS):
            self.load(os.path.normpath(os.path.join(xsd_dir, path)), None, 1 << bit)
        self.components = {}  # (kind, ns, name) -> (node, doc)
        for doc in self.docs.values():
            for c in children(doc.root):
                kind = etree.QName(c).localname
                if kind in ("import", "include"):
                    continue
                if kind not in ("element", "complexType", "simpleType", "attribute", "group",
                                "attributeGroup"):
                    fail(f"{doc.path}: top-level {kind} is not supported")
                key = (kind, doc.tns, c.get("name"))
                if key in self.components and self.components[key][1] is not doc:
                    fail(f"{key} declared twice")
                self.components[key] = (c, doc)

    def load(self, path, tns, bit):
        if path in self.docs:
            if self.reach[path] & bit:
                return
            self.reach[path] |= bit
            for c in children(self.docs[path].root):
                if etree.QName(c).localname in ("import", "include"):
                    self.load(os.path.normpath(os.path.join(os.path.dirname(path), c.get("schemaLocation"))), None, bit)
            return
        parser = etree.XMLParser(resolve_entities=True, no_network=True, load_dtd=True)
        tree = etree.parse(path, parser)
        own = tree.getroot().get("targetNamespace", "")
        if tns is not None and own not in ("", tns):
            fail(f"{path}: included with another target namespace")
        doc = Doc(path, tree, own or (tns or ""))
        self.docs[path] = doc
        self.reach[path] = bit
        for c in children(doc.root):
            kind = etree.QName(c).localname
            if kind in ("import", "include"):
                loc = c.get("schemaLocation")
                if loc is None:
                    fail(f"{path}: import without schemaLocation")
                target = os.path.normpath(os.path.join(os.path.dirname(path), loc))
                self.load(target, doc.tns if kind == "include" else None, bit)

    def qname(self, node, value):
        """Resolves a QName-valued schema attribute."""
        value = value.strip()
        if ":" in value:
            prefix, local = value.split(":", 1)
        else:
            prefix, local = None, value
        ns = node.nsmap.get(prefix)
        if ns is None:
            if prefix is None:
                ns = ""
            else:
                fail(f"unbound prefix in {value!r}")
        return ns, local

    def lookup(self, kind, ns, name):
        try:
            return self.components[(kind, ns, name)]
        except KeyError:
            fail(f"no {kind} {{{ns}}}{name}")


class Gen:
    def __init__(self, schema):
        self.s = schema
        self.types = []  # dicts
        self.type_ids = {}  # key -> id
        self.elements = []  # (ns, name, type id)
        self.element_ids = {}  # ("global", ns, name) or ("local", node id) -> id
        self.global_elements = []  # (ns id, name, element id, roots)
        self.attributes = []  # (name, type id, required)
        self.attribute_lists = {}  # tuple of uses -> (first, end): types share equal lists
        self.enumerations = []
        self.particles = []  # (element id, min, max)
        self.states = []  # (accepting, first transition, end)
        self.transitions = []  # (kind, index, target)
        self.wildcards = []  # (constraint, namespace id, process)
        self.wildcard_ids = {}
        for name, base, variant in BUILTINS:
            key = (XS, name)
            self.type_ids[key] = len(self.types)
            self.types.append(None)
        for i, (name, base, variant) in enumerate(BUILTINS):
            kind = ("AnyType",) if variant is None else ("Builtin", variant)
            self.types[i] = {"ns": XS, "name": name, "base": self.type_ids[(XS, base)],
                             "abstract": False, "kind": kind, "attrs": (0, 0), "any_attribute": None}

    # --- types -------------------------------------------------------------------------------

    def type_ref(self, node, value):
        ns, name = self.s.qname(node, value)
        return self.named_type(ns, name)

    def named_type(self, ns, name):
        key = (ns, name)
        if key in self.type_ids:
            return self.type_ids[key]
        if ("complexType", ns, name) in self.s.components:
            node, doc = self.s.components[("complexType", ns, name)]
        elif ("simpleType", ns, name) in self.s.components:
            node, doc = self.s.components[("simpleType", ns, name)]
        else:
            fail(f"no type {{{ns}}}{name}")
        return self.define(key, node, doc, ns, name)

    def anonymous_type(self, node, doc):
        return self.define(("anon", doc.path, node.getroottree().getpath(node)), node, doc, doc.tns, None)

    def define(self, key, node, doc, ns, name):
        tid = len(self.types)
        self.type_ids[key] = tid
        self.types.append(None)  # placeholder: types may refer to themselves through elements
        kind = etree.QName(node).localname
        if kind == "simpleType":
            self.types[tid] = self.simple_type(node, doc, ns, name)
        else:
            self.types[tid] = self.complex_type(node, doc, ns, name)
        return tid

    def simple_type(self, node, doc, ns, name):
        body = children(node)
        if len(body) != 1 or etree.QName(body[0]).localname != "restriction":
            fail(f"simple type {name}: only restrictions are supported")
        r = body[0]
        base = self.type_ref(r, r.get("base"))
        values = []
        for f in children(r):
            facet = etree.QName(f).localname
            if facet != "enumeration":
                fail(f"simple type {name}: facet {facet} is not supported")
            values.append(f.get("value"))
        first = len(self.enumerations)
        self.enumerations.extend(values)
        return {"ns": ns, "name": name, "base": base, "abstract": False,
                "kind": ("Restriction", (first, len(self.enumerations))), "attrs": (0, 0),
                "any_attribute": None}

    def value_type(self, tid):
        """The simple type of a simple type or of a complex type with simple content."""
        t = self.types[tid]
        if t is None:
            fail("a type refers to itself through its simple content")
        if t["kind"][0] in ("Builtin", "Restriction"):
            return tid
        if t["kind"][0] == "SimpleContent":
            return t["kind"][1]
        fail(f"type {t['name']} has no simple content")

    def own_attributes(self, node, doc):
        """Attribute uses and the attribute wildcard declared directly in node."""
        uses, wildcard = [], None
        for c in children(node):
            kind = etree.QName(c).localname
            if kind == "attribute":
                if c.get("ref") is not None:
                    fail("attribute references are not supported")
                if c.get("fixed") is not None:
                    fail(f"fixed attribute {c.get('name')} is not supported")
                if c.get("form") == "qualified":
                    fail("qualified attributes are not supported")
                use = c.get("use", "optional")
                if c.get("type") is not None:
                    tid = self.type_ref(c, c.get("type"))
                else:
                    st = [x for x in children(c) if etree.QName(x).localname == "simpleType"]
                    tid = self.anonymous_type(st[0], doc) if st else self.type_ids[(XS, "anySimpleType")]
                uses.append((c.get("name"), tid, use))
            elif kind == "attributeGroup":
                g, gdoc = self.s.lookup("attributeGroup", *self.s.qname(c, c.get("ref")))
                more, w = self.own_attributes(g, gdoc)
                uses.extend(more)
                wildcard = wildcard or w
            elif kind == "anyAttribute":
                wildcard = self.wildcard(c, doc)
        return uses, wildcard

    def merge_attributes(self, base_uses, own, restriction):
        out = {n: (t, u) for n, t, u in base_uses}
        order = [n for n, _, _ in base_uses]
        for n, t, u in own:
            if n in out and not restriction:
                fail(f"attribute {n} redeclared in an extension")
            if n not in out:
                order.append(n)
            out[n] = (t, u)
        return [(n, out[n][0], out[n][1]) for n in order if out[n][1] != "prohibited"]

    def complex_type(self, node, doc, ns, name):
        mixed = node.get("mixed") == "true"
        body = children(node)
        abstract = node.get("abstract") == "true"
        if node.get("block") or node.get("final"):
            fail(f"type {name}: block/final are not supported")
        head = body[0] if body else None
        head_kind = etree.QName(head).localname if head is not None else None
        anytype = self.type_ids[(XS, "anyType")]
        if head_kind == "simpleContent":
            d = children(head)[0]
            how = etree.QName(d).localname
            base = self.type_ref(d, d.get("base"))
            own, wildcard = self.own_attributes(d, doc)
            bt = self.types[base]
            base_uses = self.uses_of(base)
            if how == "extension":
                value = self.value_type(base)
                uses = self.merge_attributes(base_uses, [(n, t, u) for n, t, u in own], False)
            else:
                if bt["kind"][0] != "SimpleContent":
                    fail(f"type {name}: simple-content restriction of a non-simple-content type")
                if any(etree.QName(x).localname not in ("attribute", "attributeGroup", "anyAttribute")
                       for x in children(d)):
                    fail(f"type {name}: facets in a simple-content restriction are not supported")
                value = bt["kind"][1]
                uses = self.merge_attributes(base_uses, own, True)
            wildcard = wildcard if wildcard is not None else bt["any_attribute"]
            return self.finish_complex(ns, name, base, abstract, ("SimpleContent", value), uses, wildcard)
        if head_kind == "complexContent":
            if head.get("mixed") == "true":
                mixed = True
            d = children(head)[0]
            how = etree.QName(d).localname
            base = self.type_ref(d, d.get("base"))
            own, wildcard = self.own_attributes(d, doc)
            parts = [x for x in children(d) if etree.QName(x).localname in ("sequence", "choice", "all", "group")]
            particle = self.particle(parts[0], doc) if parts else None
            base_uses = self.uses_of(base)
            bt = self.types[base]
            if how == "extension":
                if bt["kind"][0] not in ("Elements", "Empty"):
                    fail(f"type {name}: extension of {bt['name']} is not supported")
                base_particle = bt.get("particle")
                if base_particle is not None and particle is not None:
                    particle = ("seq", [base_particle, particle], 1, 1)
                elif particle is None:
                    particle = base_particle
                uses = self.merge_attributes(base_uses, own, False)
                wildcard = wildcard if wildcard is not None else bt["any_attribute"]
            else:
                uses = self.merge_attributes(base_uses, own, True)
            return self.finish_elements(ns, name, base, abstract, mixed, particle, uses, wildcard)
        own, wildcard = self.own_attributes(node, doc)
        parts = [x for x in body if etree.QName(x).localname in ("sequence", "choice", "all", "group")]
        particle = self.particle(parts[0], doc) if parts else None
        return self.finish_elements(ns, name, anytype, abstract, mixed, particle, own, wildcard)

    def uses_of(self, tid):
        t = self.types[tid]
        a, b = t["attrs"]
        return [(self.attributes[i][0], self.attributes[i][1], "required" if self.attributes[i][2] else "optional")
                for i in range(a, b)]

    def finish_elements(self, ns, name, base, abstract, mixed, particle, uses, wildcard):
        # Content models are compiled once every declaration is known (types are recursive).
        if particle is None or self.empty_particle(particle):
            if mixed:
                kind = ("Elements", ("seq", [], 1, 1), True)
            else:
                kind = ("Empty",)
            particle = None
        else:
            kind = ("Elements", particle, mixed)
        t = self.finish_complex(ns, name, base, abstract, kind, uses, wildcard)
        t["particle"] = particle
        return t

    def empty_particle(self, p):
        if p[0] in ("elem", "any"):
            return False
        return all(self.empty_particle(c) for c in p[1])

    def finish_complex(self, ns, name, base, abstract, kind, uses, wildcard):
        rows = tuple((n, t, u == "required") for n, t, u in uses)
        for _, t, _ in rows:
            self.value_type(t)  # attribute types must be simple
        span = self.attribute_lists.get(rows)
        if span is None:
            first = len(self.attributes)
            if len(rows) > 64:
                fail(f"type {name} has more than 64 attributes")
            self.attributes.extend(rows)
            span = (first, len(self.attributes))
            self.attribute_lists[rows] = span
        return {"ns": ns, "name": name, "base": base, "abstract": abstract, "kind": kind,
                "attrs": span, "any_attribute": wildcard}

    # --- elements and particles --------------------------------------------------------------

    def global_element(self, ns, name):
        key = ("global", ns, name)
        if key in self.element_ids:
            return self.element_ids[key]
        node, doc = self.s.lookup("element", ns, name)
        return self.declare(key, node, doc, ns, name)

    def declare(self, key, node, doc, ns, name):
        for a in ("substitutionGroup", "fixed", "block", "final"):
            if node.get(a) is not None:
                fail(f"element {name}: {a} is not supported")
        if node.get("nillable") == "true" or node.get("abstract") == "true":
            fail(f"element {name}: nillable/abstract elements are not supported")
        eid = len(self.elements)
        self.element_ids[key] = eid
        self.elements.append((ns, name, None))
        if node.get("type") is not None:
            tid = self.type_ref(node, node.get("type"))
        else:
            anon = [c for c in children(node) if etree.QName(c).localname in ("complexType", "simpleType")]
            tid = self.anonymous_type(anon[0], doc) if anon else self.type_ids[(XS, "anyType")]
        self.elements[eid] = (ns, name, tid)
        return eid

    def occurs(self, node):
        lo = int(node.get("minOccurs", "1"))
        hi = node.get("maxOccurs", "1")
        hi = UNBOUNDED if hi == "unbounded" else int(hi)
        if hi != UNBOUNDED and hi > 64:
            fail("maxOccurs above 64 is not supported")
        return lo, hi

    def particle(self, node, doc):
        kind = etree.QName(node).localname
        lo, hi = self.occurs(node)
        if kind == "element":
            if node.get("ref") is not None:
                ns, name = self.s.qname(node, node.get("ref"))
                return ("elem", self.global_element(ns, name), lo, hi)
            if node.get("form") == "unqualified" or not doc.qualified_elements:
                fail("unqualified local elements are not supported")
            key = ("local", doc.path, node.getroottree().getpath(node))
            eid = self.element_ids.get(key)
            if eid is None:
                eid = self.declare(key, node, doc, doc.tns, node.get("name"))
            return ("elem", eid, lo, hi)
        if kind == "any":
            return ("any", self.wildcard(node, doc), lo, hi)
        if kind in ("sequence", "choice"):
            return ("seq" if kind == "sequence" else "choice",
                    [self.particle(c, doc) for c in children(node)], lo, hi)
        if kind == "group":
            g, gdoc = self.s.lookup("group", *self.s.qname(node, node.get("ref")))
            inner = children(g)[0]
            p = self.particle(inner, gdoc)
            return (p[0], p[1], lo * p[2], UNBOUNDED if UNBOUNDED in (hi, p[3]) else hi * p[3])
        fail(f"particle {kind} is not supported")

    def wildcard(self, node, doc):
        spec = node.get("namespace", "##any").split()
        process = {"strict": "Strict", "lax": "Lax", "skip": "Skip"}[node.get("processContents", "strict")]
        if spec == ["##any"]:
            key = ("Any", 0, process)
        elif spec == ["##other"]:
            key = ("Other", NS_ID[doc.tns], process)
        else:
            fail(f"wildcard namespace {spec} is not supported")
        if key not in self.wildcard_ids:
            self.wildcard_ids[key] = len(self.wildcards)
            self.wildcards.append(key)
        return self.wildcard_ids[key]

    # --- content models ----------------------------------------------------------------------

    def model(self, particle, name):
        seq = self.as_sequence(particle)
        if seq is not None:
            first = len(self.particles)
            self.particles.extend(seq)
            return ("Seq", first, len(seq))
        return ("Dfa", self.dfa(particle, name))

    def as_sequence(self, p):
        """A flat sequence of distinct elements occurring 0/1..1/unbounded, or None."""
        if p[0] == "elem" and p[2] == 1 and p[3] == 1:
            p = ("seq", [p], 1, 1)
        if p[0] != "seq" or p[2] != 1 or p[3] != 1:
            return None
        seen = set()
        out = []
        for c in p[1]:
            if c[0] != "elem" or c[2] not in (0, 1) or c[3] not in (1, UNBOUNDED):
                return None
            ns, nm, _ = self.elements[c[1]]
            if (ns, nm) in seen:
                return None
            seen.add((ns, nm))
            out.append((c[1], c[2], c[3]))
        return out

    def dfa(self, particle, name):
        # Thompson construction: states are ints; edges[s] = list of (symbol or None, t).
        edges = []

        def new():
            edges.append([])
            return len(edges) - 1

        def build(p):
            lo, hi = p[2], p[3]
            frags = []
            for _ in range(lo):
                frags.append(once(p))
            if hi == UNBOUNDED:
                s, e = once(p)
                a, b = new(), new()
                edges[a].append((None, s))
                edges[a].append((None, b))
                edges[e].append((None, s))
                edges[e].append((None, b))
                frags.append((a, b))
            else:
                for _ in range(hi - lo):
                    s, e = once(p)
                    a = new()
                    edges[a].append((None, s))
                    edges[a].append((None, e))
                    frags.append((a, e))
            if not frags:
                a = new()
                return a, a
            for (s1, e1), (s2, e2) in zip(frags, frags[1:]):
                edges[e1].append((None, s2))
            return frags[0][0], frags[-1][1]

        def once(p):
            if p[0] == "elem":
                ns, nm, _ = self.elements[p[1]]
                a, b = new(), new()
                edges[a].append((("e", NS_ID[ns], nm, p[1]), b))
                return a, b
            if p[0] == "any":
                a, b = new(), new()
                edges[a].append((("w", p[1]), b))
                return a, b
            if p[0] == "seq":
                if not p[1]:
                    a = new()
                    return a, a
                parts = [build(c) for c in p[1]]
                for (s1, e1), (s2, e2) in zip(parts, parts[1:]):
                    edges[e1].append((None, s2))
                return parts[0][0], parts[-1][1]
            if p[0] == "choice":
                a, b = new(), new()
                for c in p[1]:
                    s, e = build(c)
                    edges[a].append((None, s))
                    edges[e].append((None, b))
                return a, b
            fail(f"particle {p[0]}")

        start, end = build(particle)

        def closure(states):
            stack, seen = list(states), set(states)
            while stack:
                s = stack.pop()
                for sym, t in edges[s]:
                    if sym is None and t not in seen:
                        seen.add(t)
                        stack.append(t)
            return frozenset(seen)

        first = closure({start})
        index = {first: 0}
        order = [first]
        table = []
        i = 0
        while i < len(order):
            cur = order[i]
            moves = {}
            decl_of = {}
            for s in sorted(cur):
                for sym, t in edges[s]:
                    if sym is None:
                        continue
                    key = sym[:3] if sym[0] == "e" else sym
                    if sym[0] == "e":
                        prev = decl_of.setdefault(key, sym[3])
                        if self.elements[prev][2] != self.elements[sym[3]][2]:
                            fail(f"{name}: element {sym[2]} declared with two types")
                    moves.setdefault(key, set()).add(t)
            # Element names a wildcard of the same state also matches would make the model
            # ambiguous; these schemas have none, so refuse rather than guess.
            for key in moves:
                if key[0] != "e":
                    continue
                for w in moves:
                    if w[0] == "w" and self.wild_matches(w[1], key[1]):
                        fail(f"{name}: element {key[2]} overlaps a wildcard")
            row = []
            for key in sorted(moves, key=lambda k: (k[0], k[1], k[2] if k[0] == "e" else "")):
                target = closure(moves[key])
                if target not in index:
                    index[target] = len(order)
                    order.append(target)
                if key[0] == "e":
                    row.append(("Element", decl_of[key], index[target]))
                else:
                    row.append(("Wildcard", key[1], index[target]))
            table.append((end in cur, row))
            i += 1
        base = len(self.states)
        for accepting, row in table:
            first_t = len(self.transitions)
            for kind, what, target in row:
                self.transitions.append((kind, what, base + target))
            self.states.append((accepting, first_t, len(self.transitions)))
        if len(self.states) > 0xFFFF or len(self.transitions) > 0xFFFF:
            fail("too many automaton states")
        return base

    def wild_matches(self, wid, ns_id):
        constraint, tns, _ = self.wildcards[wid]
        if constraint == "Any":
            return True
        return ns_id != tns and ns_id != 0

    # --- driving -----------------------------------------------------------------------------

    def run(self):
        # Every global element and every named type of every schema document: lax wildcards
        # validate any global element, and xsi:type may name any type.
        for (kind, ns, name) in sorted(self.s.components, key=lambda k: (k[0], NS_ID.get(k[1], 99), k[2])):
            if ns not in NS_ID:
                fail(f"namespace {ns} has no id")
            if kind == "element":
                self.global_element(ns, name)
            elif kind in ("complexType", "simpleType"):
                self.named_type(ns, name)
        for t in self.types:
            if t["kind"][0] == "Elements":
                t["kind"] = ("Elements", self.model(t["kind"][1], t["name"]), t["kind"][2])
        for (kind, ns, name), (node, doc) in self.s.components.items():
            if kind == "element":
                roots = self.s.reach[doc.path]
                self.global_elements.append((NS_ID[ns], name, self.element_ids[("global", ns, name)], roots))
        self.global_elements.sort(key=lambda g: (g[0], g[1].encode()))

    # --- output ------------------------------------------------------------------------------

    def render(self):
        out = [
            "// @generated by tests/tools/gen_ubl_schema.py from testdata/ubl-2.1-xsd (OASIS UBL 2.1);",
            "// do not edit. Regenerate: python3 tests/tools/gen_ubl_schema.py",
            "",
            "use super::model::{",
            "    Attribute, Builtin, Element, Kind, Model, Particle, Process, State, Transition, Type,",
            "    Wildcard, WildcardNs, name_key,",
            "};",
            "",
            "/// Namespace URIs by namespace id (0: no namespace).",
            "pub(super) static NAMESPACES: &[&str] = &[",
        ]
        out += [f'    "{uri}",' for uri, _ in NAMESPACES]
        out += ["];", "", "/// The prefix messages use for each namespace id.",
                "pub(super) static PREFIXES: &[&str] = &["]
        out += [f'    "{p}",' for _, p in NAMESPACES]
        out += ["];", ""]
        for const, uri in (("NS_INVOICE", ROOTS[0][1]), ("NS_CREDIT_NOTE", ROOTS[1][1]),
                           ("NS_CAC", NAMESPACES[3][0]), ("NS_CBC", NAMESPACES[4][0]),
                           ("NS_EXT", NAMESPACES[5][0]), ("NS_XSI", XSI)):
            out.append(f"/// Namespace id of `{uri}`.")
            out.append(f"pub(super) const {const}: u8 = {NS_ID[uri]};")
        out.append("")
        for const, (path, ns, name) in (("INVOICE", ROOTS[0]), ("CREDIT_NOTE", ROOTS[1])):
            out.append(f"/// The declaration of the `{name}` root.")
            out.append(f"pub(super) const {const}: u16 = {self.element_ids[('global', ns, name)]};")
        out.append("/// The type id of xs:anyType.")
        out.append(f"pub(super) const ANY_TYPE: u16 = {self.type_ids[(XS, 'anyType')]};")
        out.append("/// No attribute wildcard.")
        out.append("pub(super) const NONE: u16 = u16::MAX;")
        out.append("")
        out.append("const fn t(ns: u8, name: &'static str, base: u16, kind: Kind, attributes: (u16, u16), any_attribute: u16) -> Type {")
        out.append("    Type { ns, name, base, is_abstract: false, kind, attributes, any_attribute }")
        out.append("}")
        out.append("")
        out.append("const fn e(ns: u8, name: &'static str, ty: u16) -> Element {")
        out.append("    Element { ns, name, ty }")
        out.append("}")
        out.append("")
        out.append("const fn a(name: &'static str, ty: u16, required: bool, checked: bool) -> Attribute {")
        out.append("    Attribute { name, ty, required, checked }")
        out.append("}")
        out.append("")
        out.append("const fn p(element: u16, ns: u8, name: &'static str, min: u8, max: u16) -> Particle {")
        out.append("    Particle { key: name_key(ns, name), element, ns, name, min, max }")
        out.append("}")
        out.append("")
        out.append("const fn s(accepting: bool, first: u16, end: u16) -> State {")
        out.append("    State { accepting, transitions: (first, end) }")
        out.append("}")
        out.append("")
        out.append("const fn sc(value: u16) -> Kind {")
        out.append("    Kind::SimpleContent { value }")
        out.append("}")
        out.append("")
        out.append("const fn seq(first: u16, len: u16, mixed: bool) -> Kind {")
        out.append("    Kind::Elements { model: Model::Seq { first, len }, mixed }")
        out.append("}")
        out.append("")
        out.append("const fn dfa(start: u16, mixed: bool) -> Kind {")
        out.append("    Kind::Elements { model: Model::Dfa { start }, mixed }")
        out.append("}")
        out.append("")
        out.append("const fn r(first: u16, end: u16) -> Kind {")
        out.append("    Kind::Restriction { enumeration: (first, end) }")
        out.append("}")
        out.append("")
        out.append("/// Every type: built-in, named and anonymous.")
        out.append("pub(super) static TYPES: &[Type] = &[")
        for t in self.types:
            kind = t["kind"]
            if kind[0] == "AnyType":
                k = "Kind::AnyType"
            elif kind[0] == "Empty":
                k = "Kind::Empty"
            elif kind[0] == "Builtin":
                k = f"Kind::Builtin(Builtin::{kind[1]})"
            elif kind[0] == "Restriction":
                k = f"r({kind[1][0]}, {kind[1][1]})"
            elif kind[0] == "SimpleContent":
                k = f"sc({kind[1]})"
            else:
                m = kind[1]
                mixed = "true" if kind[2] else "false"
                k = f"seq({m[1]}, {m[2]}, {mixed})" if m[0] == "Seq" else f"dfa({m[1]}, {mixed})"
            wildcard = "NONE" if t["any_attribute"] is None else str(t["any_attribute"])
            line = (f'    t({NS_ID[t["ns"]]}, "{t["name"] or ""}", {t["base"]}, {k}, '
                    f'({t["attrs"][0]}, {t["attrs"][1]}), {wildcard})')
            if t["abstract"]:
                line = "    Type { is_abstract: true, .." + line.strip() + " }"
            out.append(line + ",")
        out.append("];")
        out.append("")
        out.append("/// Attribute uses (all unqualified): name, simple type, required, and whether values")
        out.append("/// need a check (not for plain strings). Types with equal attribute lists share one range.")
        out.append("pub(super) static ATTRIBUTES: &[Attribute] = &[")
        for n, t, req in self.attributes:
            checked = "true" if self.checked(t) else "false"
            out.append(f'    a("{n}", {t}, {"true" if req else "false"}, {checked}),')
        out.append("];")
        out.append("")
        out.append("/// Values of enumeration facets.")
        out.append("pub(super) static ENUMERATIONS: &[&str] = &[")
        out += [f'    "{v}",' for v in self.enumerations]
        out.append("];")
        out.append("")
        out.append("/// Element declarations, global and local: namespace id, name, type.")
        out.append("pub(super) static ELEMENTS: &[Element] = &[")
        for ns, name, tid in self.elements:
            out.append(f'    e({NS_ID[ns]}, "{name}", {tid}),')
        out.append("];")
        out.append("")
        for ns, name, eid, roots in self.global_elements:
            if roots != 3 and eid not in (self.element_ids[("global", ROOTS[0][1], ROOTS[0][2])],
                                          self.element_ids[("global", ROOTS[1][1], ROOTS[1][2])]):
                fail(f"global element {name} is seen by one root only")
        out.append("/// The global element declarations, sorted by (namespace id, name). Both roots see")
        out.append("/// all of them except the other root element.")
        out.append("pub(super) static GLOBAL_ELEMENTS: &[u16] = &[")
        out += self.numbers([g[2] for g in self.global_elements])
        out.append("];")
        out.append("")
        names = sorted(((NS_ID[t["ns"]], t["name"], i) for i, t in enumerate(self.types) if t["name"]),
                       key=lambda x: (x[0], x[1].encode()))
        out.append("/// The named types, sorted by (namespace id, name), for xsi:type.")
        out.append("pub(super) static TYPE_NAMES: &[u16] = &[")
        out += self.numbers([n[2] for n in names])
        out.append("];")
        out.append("")
        out.append("/// Sequence particles: element (with its namespace id and name, to match without a")
        out.append("/// lookup), minimum, maximum (u16::MAX: unbounded).")
        out.append("pub(super) static PARTICLES: &[Particle] = &[")
        for eid, lo, hi in self.particles:
            ns, name, _ = self.elements[eid]
            out.append(f'    p({eid}, {NS_ID[ns]}, "{name}", {lo}, {"u16::MAX" if hi == UNBOUNDED else hi}),')
        out.append("];")
        out.append("")
        out.append("/// Automaton states: accepting, and the range of their transitions.")
        out.append("pub(super) static STATES: &[State] = &[")
        for acc, a, b in self.states:
            out.append(f"    s({'true' if acc else 'false'}, {a}, {b}),")
        out.append("];")
        out.append("")
        out.append("/// Automaton transitions: on an element declaration or a wildcard, to a state.")
        out.append("pub(super) static TRANSITIONS: &[Transition] = &[")
        for kind, what, target in self.transitions:
            out.append(f"    Transition::{kind}({what}, {target}),")
        out.append("];")
        out.append("")
        out.append("/// Element and attribute wildcards.")
        out.append("pub(super) static WILDCARDS: &[Wildcard] = &[")
        for constraint, tns, process in self.wildcards:
            ns = "WildcardNs::Any" if constraint == "Any" else f"WildcardNs::Other({tns})"
            out.append(f"    Wildcard {{ namespace: {ns}, process: Process::{process} }},")
        out.append("];")
        return "\n".join(out) + "\n"

    def checked(self, tid):
        """Whether values of a simple type need a check: all but plain strings."""
        while True:
            t = self.types[tid]
            kind = t["kind"]
            if kind[0] == "Builtin":
                return kind[1] not in ("String", "NormalizedString", "Token", "AnySimpleType")
            if kind[0] == "Restriction":
                if kind[1][0] != kind[1][1]:
                    return True
                tid = t["base"]
                continue
            if kind[0] == "SimpleContent":
                tid = kind[1]
                continue
            return False

    @staticmethod
    def numbers(values):
        lines = []
        for i in range(0, len(values), 16):
            lines.append("    " + " ".join(f"{v}," for v in values[i:i + 16]))
        return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xsd-dir", default="testdata/ubl-2.1-xsd")
    ap.add_argument("--stdout", action="store_true")
    a = ap.parse_args()
    g = Gen(Schema(a.xsd_dir))
    g.run()
    text = g.render()
    if a.stdout:
        sys.stdout.write(text)
    else:
        with open(OUT, "w") as f:
            f.write(text)
        print(f"{OUT}: {len(g.types)} types, {len(g.elements)} elements, {len(g.particles)} sequence "
              f"particles, {len(g.states)} automaton states, {len(g.transitions)} transitions")


main()
