//! The reference parser: the document tree built from quick-xml's event reader, as factuur
//! parsed before it had its own scanner. It is kept as the reference the fast parser
//! ([`super::parse`]) is held to: the differential fuzz target `ubl_tree` and the tests give both
//! the same bytes and compare acceptance and the trees they build.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::*;

/// Parses UBL bytes into a [`Document`] with quick-xml's reader.
pub fn parse(bytes: &[u8]) -> Result<Document, UblError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let newlines: Vec<u32> = memchr::memchr_iter(b'\n', bytes).map(to_u32).collect();
    if bytes.len() >= u32::MAX as usize {
        return Err(xml_error(&newlines, 0, "document larger than 4 GiB".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        xml_error(
            &newlines,
            e.valid_up_to() as u64,
            "not valid UTF-8 (UBL documents are UTF-8)".into(),
        )
    })?;
    let mut reader = Reader::from_str(text);
    let mut doc = Document {
        buf: String::with_capacity(bytes.len() / 3),
        elems: Vec::with_capacity(bytes.len() / 48),
        attrs: Vec::new(),
        newlines,
        root_namespace: String::new(),
        uris: vec![(0, 0)],
        ns_decls: Vec::new(),
        index: std::sync::OnceLock::new(),
    };
    let mut stack: Vec<u32> = Vec::with_capacity(16);
    let mut seen_root = false;
    // In-scope namespace declarations: (index into `doc.ns_decls`, depth declared at).
    // Resolving prefixes here, in the one pass over each start tag's attributes, is cheaper
    // than a general namespace-resolving reader: UBL documents declare a handful of prefixes.
    let mut bindings: Vec<(u32, usize)> = Vec::with_capacity(8);
    // Attributes of the current start tag whose prefix is resolved once all of the tag's
    // declarations are known: (index into `doc.attrs`, the prefix in `doc.buf`).
    let mut prefixed: Vec<(u32, Span)> = Vec::new();
    loop {
        let pos_before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(x) => x,
            Err(e) => {
                return Err(xml_error(
                    &doc.newlines,
                    reader.error_position(),
                    e.to_string(),
                ));
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if stack.len() >= MAX_DEPTH {
                    let (line, column) = line_col(&doc.newlines, to_u32(pos_before as usize));
                    return Err(UblError::TooDeep {
                        limit: MAX_DEPTH,
                        line,
                        column,
                    });
                }
                if stack.is_empty() && seen_root {
                    return Err(xml_error(
                        &doc.newlines,
                        pos_before,
                        "more than one root element".into(),
                    ));
                }
                // Whitespace a parent collected before this child is layout, not content (looked
                // at before this tag's attributes are added to the buffer: afterwards the
                // parent's text is no longer at its end).
                if let Some(&parent) = stack.last() {
                    let p = &mut doc.elems[parent as usize];
                    if p.text.1 as usize == doc.buf.len() {
                        let leading = &doc.buf[p.text.0 as usize..];
                        if leading.trim().is_empty() {
                            p.mixed |= !xml_blank(leading);
                            doc.buf.truncate(p.text.0 as usize);
                            p.text = (p.text.0, p.text.0);
                        }
                    }
                }
                let depth = stack.len();
                let index = to_u32(doc.elems.len());
                let attr_start = to_u32(doc.attrs.len());
                prefixed.clear();
                for a in e.attributes() {
                    let a = a.map_err(|err| {
                        xml_error(&doc.newlines, pos_before, format!("bad attribute: {err}"))
                    })?;
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| attr_error(&doc.newlines, pos_before, err))?;
                    let key = a.key.into_inner();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        let prefix = key.get(6..).unwrap_or("");
                        if !prefix.is_empty() && value.is_empty() {
                            return Err(xml_error(
                                &doc.newlines,
                                pos_before,
                                format!("namespace prefix {prefix:?} bound to no namespace"),
                            ));
                        }
                        let uri = doc.intern_uri(&value).ok_or_else(|| {
                            xml_error(&doc.newlines, pos_before, "too many namespaces".into())
                        })?;
                        // An empty span must not point past text the parent may still drop
                        // as layout (below): the default namespace's prefix is (0, 0).
                        let prefix_span = if prefix.is_empty() {
                            (0, 0)
                        } else {
                            let p0 = to_u32(doc.buf.len());
                            doc.buf.push_str(prefix);
                            (p0, to_u32(doc.buf.len()))
                        };
                        bindings.push((to_u32(doc.ns_decls.len()), depth));
                        doc.ns_decls.push(NsDecl {
                            prefix: prefix_span,
                            uri,
                            ns: Ns::of(&value),
                            elem: index,
                        });
                        continue;
                    }
                    let local = match key.split_once(':') {
                        Some((prefix, local)) => {
                            let p0 = to_u32(doc.buf.len());
                            doc.buf.push_str(prefix);
                            prefixed.push((to_u32(doc.attrs.len()), (p0, to_u32(doc.buf.len()))));
                            local
                        }
                        None => key,
                    };
                    let ns0 = to_u32(doc.buf.len());
                    doc.buf.push_str(local);
                    let ns1 = to_u32(doc.buf.len());
                    doc.buf.push_str(&value);
                    doc.attrs.push(Attr {
                        uri: 0,
                        name: (ns0, ns1),
                        value: (ns1, to_u32(doc.buf.len())),
                    });
                }
                for &(k, prefix) in &prefixed {
                    let prefix = doc.str(prefix);
                    let uri = match doc.resolve(&bindings, prefix).map(|d| d.uri) {
                        Some(uri) => uri,
                        None if prefix == "xml" => doc.intern_uri(XML_NAMESPACE).unwrap_or(0),
                        None => {
                            return Err(xml_error(
                                &doc.newlines,
                                pos_before,
                                format!("undeclared namespace prefix {prefix:?}"),
                            ));
                        }
                    };
                    doc.attrs[k as usize].uri = uri;
                }
                // Two attributes with one expanded name under different prefixes.
                for &(k, _) in &prefixed {
                    let a = &doc.attrs[k as usize];
                    let clash =
                        doc.attrs[attr_start as usize..]
                            .iter()
                            .enumerate()
                            .any(|(j, b)| {
                                attr_start as usize + j != k as usize
                                    && b.uri == a.uri
                                    && doc.str(b.name) == doc.str(a.name)
                            });
                    if clash {
                        return Err(xml_error(
                            &doc.newlines,
                            pos_before,
                            format!("attribute {} given twice", doc.str(a.name)),
                        ));
                    }
                }
                let qname = e.name().into_inner();
                let (prefix, local) = match qname.split_once(':') {
                    Some((p, l)) => (p, l),
                    None => ("", qname),
                };
                let (ns, uri) = match doc.resolve(&bindings, prefix) {
                    Some(d) if d.uri == 0 => (Ns::None, 0), // xmlns="" undeclares
                    Some(d) => (d.ns, d.uri),
                    None if prefix.is_empty() => (Ns::None, 0),
                    None if prefix == "xml" => {
                        (Ns::Other, doc.intern_uri(XML_NAMESPACE).unwrap_or(0))
                    }
                    None => {
                        return Err(xml_error(
                            &doc.newlines,
                            pos_before,
                            format!("undeclared namespace prefix {prefix:?}"),
                        ));
                    }
                };
                if stack.is_empty() {
                    seen_root = true;
                    doc.root_namespace = doc.str(doc.uris[uri as usize]).to_owned();
                }
                let name_start = to_u32(doc.buf.len());
                doc.buf.push_str(local);
                let name = (name_start, to_u32(doc.buf.len()));
                let here = to_u32(doc.buf.len());
                doc.elems.push(Elem {
                    ns,
                    mixed: false,
                    uri,
                    name,
                    text: (here, here),
                    attrs: (attr_start, to_u32(doc.attrs.len())),
                    parent: stack.last().copied().unwrap_or(u32::MAX),
                    end: index + 1,
                    pos: to_u32(pos_before as usize),
                });
                if empty {
                    while bindings.last().is_some_and(|b| b.1 >= depth) {
                        bindings.pop();
                    }
                } else {
                    stack.push(index);
                }
            }
            Event::End(_) => {
                if let Some(index) = stack.pop() {
                    doc.elems[index as usize].end = to_u32(doc.elems.len());
                }
                while bindings.last().is_some_and(|b| b.1 >= stack.len()) {
                    bindings.pop();
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                push_text(&mut doc, &stack, &content, reader.buffer_position())?;
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                push_text(&mut doc, &stack, &content, reader.buffer_position())?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => {
                            let (line, column) =
                                line_col(&doc.newlines, to_u32(pos_before as usize));
                            return Err(UblError::Entity {
                                name: other.to_owned(),
                                line,
                                column,
                            });
                        }
                    },
                    Err(e) => {
                        return Err(xml_error(&doc.newlines, pos_before, e.to_string()));
                    }
                };
                let mut tmp = [0u8; 4];
                push_text(
                    &mut doc,
                    &stack,
                    ch.encode_utf8(&mut tmp),
                    reader.buffer_position(),
                )?;
            }
            Event::DocType(_) => {
                let (line, column) = line_col(&doc.newlines, to_u32(pos_before as usize));
                return Err(UblError::Doctype { line, column });
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(xml_error(
            &doc.newlines,
            bytes.len() as u64,
            "document ends inside an element".into(),
        ));
    }
    if doc.elems.is_empty() {
        return Err(xml_error(&doc.newlines, 0, "no root element".into()));
    }
    Ok(doc)
}

fn attr_error(newlines: &[u32], pos: u64, err: quick_xml::Error) -> UblError {
    let message = err.to_string();
    if let Some(name) = message
        .split("entity `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
    {
        let (line, column) = line_col(newlines, to_u32(pos as usize));
        return UblError::Entity {
            name: name.to_owned(),
            line,
            column,
        };
    }
    xml_error(newlines, pos, format!("bad attribute value: {message}"))
}

fn push_text(doc: &mut Document, stack: &[u32], content: &str, pos: u64) -> Result<(), UblError> {
    let Some(&top) = stack.last() else {
        if content.trim().is_empty() {
            return Ok(());
        }
        return Err(xml_error(
            &doc.newlines,
            pos,
            "text outside the root element".into(),
        ));
    };
    let e = &mut doc.elems[top as usize];
    // Text after a child element (mixed content) is not part of any UBL value.
    if e.text.1 as usize != doc.buf.len() {
        e.mixed |= !xml_blank(content);
        return Ok(());
    }
    doc.buf.push_str(content);
    e.text.1 = to_u32(doc.buf.len());
    Ok(())
}
