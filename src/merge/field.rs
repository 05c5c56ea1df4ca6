//! The field-code parser: `MERGEFIELD`, `IF`, `NEXT`, `NEXTIF`, `SKIPIF`, `MERGEREC`,
//! `MERGESEQ` and their switches. It parses instruction text and nothing else: where a field
//! sits in the document is `stream.rs`'s business, what a value looks like is `format.rs`'s.
//!
//! An instruction is given as pieces: text typed into the field code, and *literal* text that
//! came from a nested field's result. Literal text never splits a word and never closes a
//! quote, so `IF {MERGEFIELD Name} = "Jan de Vries" …` compares the whole name even though it
//! contains spaces.

/// Longest instruction accepted, in characters. Real instructions are a few dozen.
pub const MAX_INSTRUCTION: usize = 32 * 1024;

/// A parsed field code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldCode {
    /// `MERGEFIELD name [switches]`.
    Merge(MergeField),
    /// `IF left op right "then" "else" [switches]`.
    If(IfField),
    /// `NEXT`: the following fields use the next record.
    Next,
    /// `NEXTIF left op right`: go to the next record when the condition holds.
    NextIf(Condition),
    /// `SKIPIF left op right`: drop the current document and record when the condition holds.
    SkipIf(Condition),
    /// `MERGEREC`: the number of the current record in the data.
    MergeRec(Switches),
    /// `MERGESEQ`: how many records have been merged so far.
    MergeSeq(Switches),
    /// Any other field (`PAGE`, `DATE`, `HYPERLINK`, …): left for Word to update.
    Other(String),
}

impl FieldCode {
    /// Whether factuur evaluates this field (a merge field) rather than leaving it to Word.
    pub fn is_merge(&self) -> bool {
        !matches!(self, FieldCode::Other(_))
    }
}

/// A `MERGEFIELD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeField {
    /// The field name as written (quotes removed).
    pub name: String,
    /// Its switches.
    pub switches: Switches,
}

impl MergeField {
    /// The region marker this field is, if its name is `TableStart:X`, `TableEnd:X`,
    /// `BeginGroup:X` or `EndGroup:X` (any case).
    pub fn marker(&self) -> Option<(Marker, &str)> {
        marker(&self.name)
    }
}

/// A region marker's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// `TableStart:X` or `BeginGroup:X`.
    Start,
    /// `TableEnd:X` or `EndGroup:X`.
    End,
}

/// Reads a region marker out of a field name.
pub fn marker(name: &str) -> Option<(Marker, &str)> {
    let (head, rest) = name.split_once(':')?;
    let role = if head.eq_ignore_ascii_case("TableStart") || head.eq_ignore_ascii_case("BeginGroup")
    {
        Marker::Start
    } else if head.eq_ignore_ascii_case("TableEnd") || head.eq_ignore_ascii_case("EndGroup") {
        Marker::End
    } else {
        return None;
    };
    let rest = rest.trim();
    (!rest.is_empty()).then_some((role, rest))
}

/// Switches of a merge field (`\b \f \m \v \* \@ \#`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Switches {
    /// `\b`: text put before a non-blank value.
    pub before: Option<String>,
    /// `\f`: text put after a non-blank value.
    pub after: Option<String>,
    /// `\m`: the name is a mapped field.
    pub mapped: bool,
    /// `\v`: vertical formatting (East Asian layout; no effect on the text).
    pub vertical: bool,
    /// `\*` formats in order (`MERGEFORMAT`, `Upper`, `Caps`, …).
    pub formats: Vec<String>,
    /// `\@` date-time picture.
    pub date: Option<String>,
    /// `\#` numeric picture.
    pub number: Option<String>,
    /// Switches the parser does not know, e.g. `\z`.
    pub unknown: Vec<char>,
}

impl Switches {
    /// Whether `\* NAME` is present (case-insensitive).
    pub fn has_format(&self, name: &str) -> bool {
        self.formats.iter().any(|f| f.eq_ignore_ascii_case(name))
    }
}

/// A comparison operator of `IF`, `NEXTIF`, `SKIPIF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
}

impl CompareOp {
    fn parse(s: &str) -> Option<CompareOp> {
        Some(match s {
            "=" => CompareOp::Eq,
            "<>" => CompareOp::Ne,
            "<" => CompareOp::Lt,
            ">" => CompareOp::Gt,
            "<=" => CompareOp::Le,
            ">=" => CompareOp::Ge,
            _ => return None,
        })
    }
}

/// A comparison: `left op right`; with no operator, the condition is whether `left` is
/// non-blank and not zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Left operand.
    pub left: String,
    /// Operator and right operand; `None` for a bare expression.
    pub op: Option<(CompareOp, String)>,
}

/// An `IF` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfField {
    /// The test.
    pub condition: Condition,
    /// Text when true.
    pub then: String,
    /// Text when false.
    pub otherwise: String,
    /// General switches applied to the chosen text.
    pub switches: Switches,
}

/// A token of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word { text: String, quoted: bool },
    Switch(char),
}

/// Splits an instruction into words, quoted strings and switches. Each input piece is
/// `(text, literal)`; literal text (a nested field's result) is never split or unquoted.
fn lex(pieces: &[(&str, bool)]) -> Vec<Token> {
    let mut chars: Vec<(char, bool)> = Vec::new();
    for (text, literal) in pieces {
        chars.extend(text.chars().map(|c| (c, *literal)));
    }
    let mut tokens = Vec::new();
    let mut i = 0;
    let is_space = |c: char| c.is_whitespace() || c == '\u{a0}';
    while i < chars.len() {
        let (c, lit) = chars[i];
        if !lit && is_space(c) {
            i += 1;
            continue;
        }
        if !lit && c == '"' {
            // Quoted string: \" is a quote, \\ a backslash.
            let mut text = String::new();
            i += 1;
            while i < chars.len() {
                let (c, lit) = chars[i];
                if !lit && c == '\\' && i + 1 < chars.len() && matches!(chars[i + 1].0, '"' | '\\')
                {
                    text.push(chars[i + 1].0);
                    i += 2;
                    continue;
                }
                if !lit && c == '"' {
                    i += 1;
                    break;
                }
                text.push(c);
                i += 1;
            }
            tokens.push(Token::Word { text, quoted: true });
            continue;
        }
        if !lit && c == '\\' && i + 1 < chars.len() && !is_space(chars[i + 1].0) {
            tokens.push(Token::Switch(chars[i + 1].0));
            i += 2;
            continue;
        }
        let mut text = String::new();
        while i < chars.len() {
            let (c, lit) = chars[i];
            if !lit && (is_space(c) || c == '"') {
                break;
            }
            text.push(c);
            i += 1;
        }
        tokens.push(Token::Word {
            text,
            quoted: false,
        });
    }
    tokens
}

/// Parses an instruction typed as one piece of text.
///
/// ```
/// use factuur::merge::field::{parse, FieldCode};
/// let FieldCode::Merge(f) = parse(r##" MERGEFIELD  "Totaal incl" \# "#.##0,00" \* MERGEFORMAT "##).unwrap() else { panic!() };
/// assert_eq!(f.name, "Totaal incl");
/// assert_eq!(f.switches.number.as_deref(), Some("#.##0,00"));
/// assert!(f.switches.has_format("mergeformat"));
/// ```
pub fn parse(instruction: &str) -> Result<FieldCode, String> {
    parse_pieces(&[(instruction, false)])
}

/// Parses an instruction given as pieces (`(text, literal)`); see the module documentation.
pub fn parse_pieces(pieces: &[(&str, bool)]) -> Result<FieldCode, String> {
    let len: usize = pieces.iter().map(|(t, _)| t.len()).sum();
    if len > MAX_INSTRUCTION {
        return Err(format!(
            "field instruction of {len} bytes is longer than the {MAX_INSTRUCTION} accepted"
        ));
    }
    let tokens = lex(pieces);
    let Some(Token::Word { text: keyword, .. }) = tokens.first() else {
        return Ok(FieldCode::Other(String::new()));
    };
    let keyword = keyword.to_ascii_uppercase();
    let rest = &tokens[1..];
    match keyword.as_str() {
        "MERGEFIELD" => {
            let (args, switches) = split_switches(rest)?;
            let Some(name) = args.first() else {
                return Err("MERGEFIELD without a field name".into());
            };
            Ok(FieldCode::Merge(MergeField {
                name: name.0.trim().to_owned(),
                switches,
            }))
        }
        "IF" => {
            let (args, switches) = split_switches(rest)?;
            let (condition, used) = condition(&args).ok_or_else(|| {
                "IF needs a comparison: IF left = right \"then\" \"else\"".to_string()
            })?;
            let then = args.get(used).map(|a| a.0.clone()).unwrap_or_default();
            let otherwise = args.get(used + 1).map(|a| a.0.clone()).unwrap_or_default();
            Ok(FieldCode::If(IfField {
                condition,
                then,
                otherwise,
                switches,
            }))
        }
        "NEXT" => Ok(FieldCode::Next),
        "NEXTIF" | "SKIPIF" => {
            let (args, _) = split_switches(rest)?;
            let (cond, _) = condition(&args)
                .ok_or_else(|| format!("{keyword} needs a comparison: {keyword} left = right"))?;
            Ok(if keyword == "NEXTIF" {
                FieldCode::NextIf(cond)
            } else {
                FieldCode::SkipIf(cond)
            })
        }
        "MERGEREC" => Ok(FieldCode::MergeRec(split_switches(rest)?.1)),
        "MERGESEQ" => Ok(FieldCode::MergeSeq(split_switches(rest)?.1)),
        _ => Ok(FieldCode::Other(keyword)),
    }
}

/// Arguments `(text, quoted)` and switches.
type Args = Vec<(String, bool)>;

fn split_switches(tokens: &[Token]) -> Result<(Args, Switches), String> {
    let mut args = Vec::new();
    let mut sw = Switches::default();
    let mut i = 0;
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word { text, quoted }) => Some((text.clone(), *quoted)),
        _ => None,
    };
    // A picture: a quoted string, or the unquoted words up to the next switch.
    let picture = |i: &mut usize| -> Option<String> {
        match tokens.get(*i) {
            Some(Token::Word { text, quoted: true }) => {
                *i += 1;
                Some(text.clone())
            }
            Some(Token::Word { .. }) => {
                let mut words = Vec::new();
                while let Some(Token::Word { text, .. }) = tokens.get(*i) {
                    words.push(text.clone());
                    *i += 1;
                }
                Some(words.join(" "))
            }
            _ => None,
        }
    };
    while i < tokens.len() {
        match &tokens[i] {
            Token::Word { text, quoted } => {
                args.push((text.clone(), *quoted));
                i += 1;
            }
            Token::Switch(c) => {
                i += 1;
                match c {
                    'b' | 'B' | 'f' | 'F' => {
                        let Some((text, _)) = word(i) else {
                            return Err(format!("switch \\{c} needs a text"));
                        };
                        i += 1;
                        if c.eq_ignore_ascii_case(&'b') {
                            sw.before = Some(text);
                        } else {
                            sw.after = Some(text);
                        }
                    }
                    'm' | 'M' => sw.mapped = true,
                    'v' | 'V' => sw.vertical = true,
                    '*' => {
                        let Some((text, _)) = word(i) else {
                            return Err("switch \\* needs a format name".into());
                        };
                        i += 1;
                        sw.formats.push(text);
                    }
                    '@' => {
                        sw.date = Some(picture(&mut i).ok_or("switch \\@ needs a picture")?);
                    }
                    '#' => {
                        sw.number = Some(picture(&mut i).ok_or("switch \\# needs a picture")?);
                    }
                    other => sw.unknown.push(*other),
                }
            }
        }
    }
    Ok((args, sw))
}

/// Reads `left op right` (or a bare `left`) from the front of `args`; returns how many
/// arguments it used.
fn condition(args: &Args) -> Option<(Condition, usize)> {
    let (left, _) = args.first()?;
    if let Some((op, quoted)) = args.get(1)
        && !quoted
        && let Some(op) = CompareOp::parse(op)
    {
        let right = args.get(2).map(|a| a.0.clone()).unwrap_or_default();
        return Some((
            Condition {
                left: left.clone(),
                op: Some((op, right)),
            },
            3,
        ));
    }
    // `left=right` written without spaces.
    if !args[0].1 {
        for op in ["<>", "<=", ">=", "=", "<", ">"] {
            if let Some((l, r)) = left.split_once(op)
                && !l.is_empty()
            {
                return Some((
                    Condition {
                        left: l.to_owned(),
                        op: Some((CompareOp::parse(op)?, r.to_owned())),
                    },
                    1,
                ));
            }
        }
    }
    Some((
        Condition {
            left: left.clone(),
            op: None,
        },
        1,
    ))
}

/// Whether `text` matches `pattern` with `?` (one character) and `*` (any run).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge(s: &str) -> MergeField {
        match parse(s).unwrap() {
            FieldCode::Merge(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_quoted_or_not() {
        assert_eq!(merge(" MERGEFIELD  Name ").name, "Name");
        assert_eq!(
            merge("MERGEFIELD \"More than one space\"").name,
            "More than one space"
        );
        assert_eq!(
            merge("mergefield Account:Name \\* MERGEFORMAT").name,
            "Account:Name"
        );
        assert_eq!(
            merge("MERGEFIELD ${developer.name}").name,
            "${developer.name}"
        );
        assert_eq!(
            merge("MERGEFIELD TableStart:LINES").marker(),
            Some((Marker::Start, "LINES"))
        );
        assert_eq!(marker("EndGroup:VAT"), Some((Marker::End, "VAT")));
        assert_eq!(marker("Bills:ControlNumber"), None);
        assert!(parse("MERGEFIELD").is_err());
    }

    #[test]
    fn switches() {
        let m = merge(r#"MERGEFIELD Phone \b "Tel: " \f "." \m \v \* Upper \* MERGEFORMAT"#);
        assert_eq!(m.switches.before.as_deref(), Some("Tel: "));
        assert_eq!(m.switches.after.as_deref(), Some("."));
        assert!(m.switches.mapped && m.switches.vertical);
        assert_eq!(m.switches.formats, ["Upper", "MERGEFORMAT"]);
        let m = merge(r"MERGEFIELD  Date \@ d MMMM yyyy");
        assert_eq!(m.switches.date.as_deref(), Some("d MMMM yyyy"));
        let m = merge(r##"MERGEFIELD Amount \# "#.##0,00" \z"##);
        assert_eq!(m.switches.number.as_deref(), Some("#.##0,00"));
        assert_eq!(m.switches.unknown, ['z']);
        let m = merge(r#"MERGEFIELD Path \b "C:\\dir \"x\"""#);
        assert_eq!(m.switches.before.as_deref(), Some(r#"C:\dir "x""#));
    }

    #[test]
    fn if_fields() {
        let FieldCode::If(f) = parse(r#"IF 1 < 2 "true" "false" \* MERGEFORMAT"#).unwrap() else {
            panic!()
        };
        assert_eq!(f.condition.op, Some((CompareOp::Lt, "2".into())));
        assert_eq!((f.then.as_str(), f.otherwise.as_str()), ("true", "false"));
        // A nested result with spaces and quotes stays one operand.
        let code = parse_pieces(&[
            ("IF ", false),
            ("Jan \"de\" Vries", true),
            (" = \"Jan*\" \"ja\" \"nee\"", false),
        ])
        .unwrap();
        let FieldCode::If(f) = code else { panic!() };
        assert_eq!(f.condition.left, "Jan \"de\" Vries");
        assert_eq!(f.condition.op, Some((CompareOp::Eq, "Jan*".into())));
        let FieldCode::SkipIf(c) = parse("SKIPIF x<>y").unwrap() else {
            panic!()
        };
        assert_eq!(c.op, Some((CompareOp::Ne, "y".into())));
        assert!(matches!(parse("NEXT").unwrap(), FieldCode::Next));
        assert!(matches!(parse("PAGE \\* roman").unwrap(), FieldCode::Other(k) if k == "PAGE"));
        assert!(parse("IF").is_err());
    }

    #[test]
    fn huge_instruction_is_refused() {
        let big = format!("MERGEFIELD {}", "x".repeat(MAX_INSTRUCTION));
        assert!(parse(&big).unwrap_err().contains("longer"));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("Jan*", "Jansen"));
        assert!(wildcard_match("J?n", "Jan"));
        assert!(!wildcard_match("J?n", "Jaan"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXXbYc"));
        assert!(!wildcard_match("a*b*c", "aXXbY"));
    }
}
