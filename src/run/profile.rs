//! Invoice profiles: what a run makes and from which drafts, declared in a TOML file the back
//! office edits (`factuur.toml` beside the ledger, or `--config FILE`).
//!
//! ```toml
//! [profiles.demo]
//! series = "demo"                 # the ledger's number series (production runs)
//! outputs = ["siubl", "pdf"]      # siubl | peppol, pdf | hybrid, docx, pair
//! language = "nl"                 # nl | en: PDF labels
//! gks = false                     # report the invoices to the tax black box when sent
//! # vat_codes = "btw-codes.json"  # the VAT code table (default: the Dutch table)
//! # template = "factuur.docx"     # the Word template for docx (default: the starter)
//! # logo = "logo.png"             # the PDF letterhead
//! validate = true                 # check each XML against the official rules of its profile
//!
//! [profiles.demo.drafts]          # which drafts belong to the profile (all when empty)
//! supplier_kvk = ["58070036"]
//! ```
//!
//! A run keeps the profile as it used it, with the VAT code table, the template and the logo
//! inside ([`Profile::to_stored`]), so that a worker on another machine renders exactly the
//! same documents and a run can be explained later.
//!
//! ```
//! let text = std::fs::read_to_string("testdata/factuur.toml").unwrap();
//! let config = factuur::run::Config::parse(&text, std::path::Path::new("testdata")).unwrap();
//! let demo = config.profile("demo").unwrap();
//! assert!(demo.outputs.xml.is_some() && demo.outputs.pdf.is_some());
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::Invoice;
use crate::model::VatCodeTable;
use crate::pdf::Logo;
use crate::ubl::Profile as UblProfile;
use crate::validate::Lang;

use super::RunError;

/// The file as written: `[profiles.NAME]` tables.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Spec>,
}

/// One profile as written in the TOML file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The number series of the ledger that production runs number from.
    pub series: String,
    /// What each invoice becomes: `siubl` (or `nlcius`) or `peppol` (the XML), `pdf` or
    /// `hybrid` (a PDF/A-3 carrying the XML), `docx` (Word, from `template`), `pair` (the
    /// InvoiceSharing pair: SI-UBL XML and PDF of the same name; needs the customer's KvK).
    pub outputs: Vec<String>,
    /// `nl` (default) or `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Whether its invoices are reported to the tax black box (GKS) when sent, whatever
    /// their series says.
    #[serde(default)]
    pub gks: bool,
    /// A VAT code table (JSON), relative to the configuration file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_codes: Option<String>,
    /// The Word template for `docx`, relative to the configuration file (default: the
    /// starter template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// A PNG or JPEG logo for the PDF, relative to the configuration file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Check each XML against the official rules of its profile (default true); a
    /// production run stops, unchanged, when one fails.
    #[serde(default = "yes")]
    pub validate: bool,
    /// Which drafts belong to the profile.
    #[serde(default)]
    pub drafts: DraftFilter,
}

fn yes() -> bool {
    true
}

/// Which drafts belong to a profile: each list that is not empty must contain the draft's
/// value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DraftFilter {
    /// The supplier's KvK number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supplier_kvk: Vec<String>,
    /// The customer's country code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_country: Vec<String>,
    /// The invoice type code (380 invoice, 381 credit note, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub type_codes: Vec<u16>,
    /// The currency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub currency: Vec<String>,
}

impl DraftFilter {
    /// Whether the draft belongs to the profile; if not, why.
    pub fn admits(&self, invoice: &Invoice) -> Result<(), String> {
        if !self.supplier_kvk.is_empty() {
            let kvk = invoice.supplier.kvk.as_ref().map(|k| k.as_str());
            if !kvk.is_some_and(|k| self.supplier_kvk.iter().any(|x| x == k)) {
                return Err(format!(
                    "supplier KvK {} is not the profile's ({})",
                    kvk.unwrap_or("(none)"),
                    self.supplier_kvk.join(", ")
                ));
            }
        }
        if !self.customer_country.is_empty() {
            let c = invoice
                .customer
                .as_ref()
                .and_then(|c| c.address.country_code.as_deref());
            if !c.is_some_and(|c| self.customer_country.iter().any(|x| x == c)) {
                return Err(format!(
                    "customer country {} is not the profile's ({})",
                    c.unwrap_or("(none)"),
                    self.customer_country.join(", ")
                ));
            }
        }
        if !self.type_codes.is_empty() {
            let t = invoice.type_code.0;
            if !self.type_codes.contains(&t) {
                return Err(format!("type code {t} is not the profile's"));
            }
        }
        if !self.currency.is_empty()
            && !self.currency.iter().any(|c| c == invoice.currency.as_str())
        {
            return Err(format!(
                "currency {} is not the profile's",
                invoice.currency.as_str()
            ));
        }
        Ok(())
    }
}

/// Which documents a profile makes of each invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outputs {
    /// `<number>.xml` in this UBL profile.
    pub xml: Option<UblProfile>,
    /// `<number>.pdf`: plain, or a hybrid PDF/A-3 carrying the XML.
    pub pdf: Option<PdfKind>,
    /// `<number>.docx` from the profile's template.
    pub docx: bool,
    /// The InvoiceSharing pair: every invoice needs the customer's KvK number.
    pub pair: bool,
}

/// The kind of PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfKind {
    /// A plain PDF.
    Plain,
    /// A PDF/A-3b with the XML attached.
    Hybrid,
}

impl Outputs {
    /// Reads the `outputs` list.
    pub fn parse(list: &[String]) -> Result<Outputs, String> {
        let mut o = Outputs::default();
        let set_xml = |o: &mut Outputs, p: UblProfile| match o.xml {
            Some(q) if q != p => {
                Err("outputs name both siubl and peppol: one XML per invoice".to_owned())
            }
            _ => {
                o.xml = Some(p);
                Ok(())
            }
        };
        let set_pdf = |o: &mut Outputs, k: PdfKind| match o.pdf {
            Some(q) if q != k => {
                Err("outputs name both pdf and hybrid: one PDF per invoice".to_owned())
            }
            _ => {
                o.pdf = Some(k);
                Ok(())
            }
        };
        for item in list {
            match item.to_ascii_lowercase().as_str() {
                "siubl" | "si-ubl" | "nlcius" => set_xml(&mut o, UblProfile::Nlcius)?,
                "peppol" => set_xml(&mut o, UblProfile::Peppol)?,
                "pdf" => set_pdf(&mut o, PdfKind::Plain)?,
                "hybrid" => set_pdf(&mut o, PdfKind::Hybrid)?,
                "docx" | "word" => o.docx = true,
                "pair" => {
                    o.pair = true;
                    set_xml(&mut o, UblProfile::Nlcius).map_err(|_| {
                        "pair is SI-UBL XML with its PDF: it does not go with peppol".to_owned()
                    })?;
                    if o.pdf.is_none() {
                        o.pdf = Some(PdfKind::Plain);
                    }
                }
                other => {
                    return Err(format!(
                        "unknown output {other:?}: siubl, peppol, pdf, hybrid, docx or pair"
                    ));
                }
            }
        }
        if o.xml.is_none() && o.pdf.is_none() && !o.docx {
            return Err(
                "outputs is empty: name at least one of siubl, peppol, pdf, hybrid, docx, pair"
                    .into(),
            );
        }
        if o.pdf == Some(PdfKind::Hybrid) && o.xml.is_none() {
            o.xml = Some(UblProfile::Nlcius);
        }
        Ok(o)
    }
}

/// A profile ready to use: the spec with its files read.
#[derive(Clone)]
pub struct Profile {
    /// Its name.
    pub name: String,
    /// The spec as written.
    pub spec: Spec,
    /// What it makes.
    pub outputs: Outputs,
    /// PDF language.
    pub lang: Lang,
    /// The VAT code table.
    pub vat_codes: VatCodeTable,
    vat_codes_json: Option<String>,
    /// The Word template (docx output).
    pub template: Option<Arc<crate::merge::Template>>,
    template_bytes: Option<Vec<u8>>,
    /// The logo (PDF).
    pub logo: Option<Logo>,
    logo_bytes: Option<Vec<u8>>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("spec", &self.spec)
            .field("outputs", &self.outputs)
            .finish_non_exhaustive()
    }
}

/// A profile as a run keeps it: the spec and the contents of its files.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    name: String,
    spec: Spec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vat_codes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
}

impl Profile {
    fn build(
        name: &str,
        spec: Spec,
        vat_codes_json: Option<String>,
        template_bytes: Option<Vec<u8>>,
        logo_bytes: Option<Vec<u8>>,
    ) -> Result<Profile, RunError> {
        let bad = |what: String| RunError::Profile(format!("profile {name}: {what}"));
        if spec.series.trim().is_empty() {
            return Err(bad("series is empty".into()));
        }
        let outputs = Outputs::parse(&spec.outputs).map_err(bad)?;
        let lang = match spec.language.as_deref().unwrap_or("nl") {
            "nl" => Lang::Nl,
            "en" => Lang::En,
            other => return Err(bad(format!("language {other:?}: nl or en"))),
        };
        let vat_codes = match &vat_codes_json {
            Some(j) => {
                VatCodeTable::from_json(j.as_bytes()).map_err(|e| bad(format!("vat_codes: {e}")))?
            }
            None => VatCodeTable::dutch_default(),
        };
        let template = if outputs.docx {
            let bytes = template_bytes
                .clone()
                .unwrap_or_else(crate::merge::starter::template);
            let t =
                crate::merge::Template::open(bytes).map_err(|e| bad(format!("template: {e}")))?;
            Some(Arc::new(t))
        } else {
            None
        };
        let logo = match &logo_bytes {
            Some(b) => Some(Logo::from_bytes(b.clone()).map_err(|e| bad(format!("logo: {e}")))?),
            None => None,
        };
        Ok(Profile {
            name: name.to_owned(),
            spec,
            outputs,
            lang,
            vat_codes,
            vat_codes_json,
            template,
            template_bytes,
            logo,
            logo_bytes,
        })
    }

    /// The profile as a run keeps it (JSON, with its files inside).
    pub fn to_stored(&self) -> String {
        let stored = Stored {
            name: self.name.clone(),
            spec: self.spec.clone(),
            vat_codes: self.vat_codes_json.clone(),
            template: self.template_bytes.as_ref().map(|b| STANDARD.encode(b)),
            logo: self.logo_bytes.as_ref().map(|b| STANDARD.encode(b)),
        };
        serde_json::to_string(&stored).expect("a profile always serialises")
    }

    /// A profile as a run kept it.
    pub fn from_stored(text: &str) -> Result<Profile, RunError> {
        let s: Stored = serde_json::from_str(text)
            .map_err(|e| RunError::Profile(format!("the run's stored profile: {e}")))?;
        let decode = |b: &Option<String>, what: &str| {
            b.as_ref()
                .map(|t| STANDARD.decode(t))
                .transpose()
                .map_err(|e| RunError::Profile(format!("the run's stored {what}: {e}")))
        };
        let template = decode(&s.template, "template")?;
        let logo = decode(&s.logo, "logo")?;
        Profile::build(&s.name, s.spec, s.vat_codes, template, logo)
    }

    /// The profile's section as TOML, as the user wrote it (for `factuur run show`).
    pub fn spec_toml(&self) -> String {
        let mut profiles = BTreeMap::new();
        profiles.insert(self.name.clone(), self.spec.clone());
        toml::to_string(&File { profiles }).unwrap_or_default()
    }
}

/// A configuration file: every profile, with its files read.
#[derive(Debug, Clone)]
pub struct Config {
    profiles: BTreeMap<String, Profile>,
    /// Where it was read from.
    pub path: Option<PathBuf>,
}

impl Config {
    /// Reads a configuration file; relative file names in it are relative to its folder.
    pub fn read(path: &Path) -> Result<Config, RunError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| RunError::Profile(format!("{}: {e}", path.display())))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut c = Config::parse(&text, dir)
            .map_err(|e| RunError::Profile(format!("{}: {e}", path.display())))?;
        c.path = Some(path.to_owned());
        Ok(c)
    }

    /// Parses configuration text; relative file names are taken from `dir`.
    pub fn parse(text: &str, dir: &Path) -> Result<Config, RunError> {
        let file: File = toml::from_str(text).map_err(|e| RunError::Profile(e.to_string()))?;
        let read = |name: &str,
                    rel: &Option<String>,
                    what: &str|
         -> Result<Option<Vec<u8>>, RunError> {
            rel.as_ref()
                .map(|r| {
                    let p = dir.join(r);
                    std::fs::read(&p).map_err(|e| {
                        RunError::Profile(format!("profile {name}: {what} {}: {e}", p.display()))
                    })
                })
                .transpose()
        };
        let mut profiles = BTreeMap::new();
        for (name, spec) in file.profiles {
            let vat = read(&name, &spec.vat_codes, "vat_codes")?
                .map(|b| {
                    String::from_utf8(b).map_err(|_| {
                        RunError::Profile(format!("profile {name}: vat_codes is not UTF-8"))
                    })
                })
                .transpose()?;
            let template = read(&name, &spec.template, "template")?;
            let logo = read(&name, &spec.logo, "logo")?;
            let p = Profile::build(&name, spec, vat, template, logo)?;
            profiles.insert(name, p);
        }
        Ok(Config {
            profiles,
            path: None,
        })
    }

    /// One profile by name.
    pub fn profile(&self, name: &str) -> Result<&Profile, RunError> {
        self.profiles.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            RunError::Profile(format!(
                "no profile {name:?} in {}; it has: {}",
                self.path
                    .as_ref()
                    .map_or("the configuration".into(), |p| p.display().to_string()),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// The names of its profiles.
    pub fn names(&self) -> Vec<&str> {
        self.profiles.keys().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs() {
        let o = |l: &[&str]| Outputs::parse(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let x = o(&["siubl", "pdf"]).unwrap();
        assert_eq!(x.xml, Some(UblProfile::Nlcius));
        assert_eq!(x.pdf, Some(PdfKind::Plain));
        assert!(o(&["siubl", "peppol"]).is_err());
        assert!(o(&["pdf", "hybrid"]).is_err());
        assert!(o(&["peppol", "pair"]).is_err());
        assert!(o(&[]).is_err());
        assert!(o(&["fax"]).unwrap_err().contains("fax"));
        let h = o(&["hybrid"]).unwrap();
        assert_eq!(h.xml, Some(UblProfile::Nlcius));
        let p = o(&["pair"]).unwrap();
        assert!(p.pair && p.pdf.is_some());
    }

    #[test]
    fn parse_store_and_back() {
        let text = r#"
[profiles.a]
series = "verkoop"
outputs = ["peppol", "hybrid", "docx"]
language = "en"
gks = true
[profiles.a.drafts]
supplier_kvk = ["58070036"]
"#;
        let c = Config::parse(text, Path::new(".")).unwrap();
        let a = c.profile("a").unwrap();
        assert_eq!(a.outputs.xml, Some(UblProfile::Peppol));
        assert!(a.template.is_some());
        assert!(a.spec.validate);
        let back = Profile::from_stored(&a.to_stored()).unwrap();
        assert_eq!(back.spec, a.spec);
        assert!(a.spec_toml().contains("[profiles.a]"));
        assert!(
            c.profile("b")
                .unwrap_err()
                .to_string()
                .contains("it has: a")
        );
        let bad = Config::parse(
            "[profiles.x]\nseries = \"s\"\noutputs = [\"pdf\"]\ncolour = 1\n",
            Path::new("."),
        );
        assert!(bad.unwrap_err().to_string().contains("colour"));
        let bad = Config::parse(
            "[profiles.x]\nseries = \"s\"\noutputs = [\"pdf\"]\nlanguage = \"fr\"\n",
            Path::new("."),
        );
        assert!(bad.unwrap_err().to_string().contains("fr"));
    }
}
