//! Who may do what: permissions and roles as plain data the caller supplies.
//!
//! factuur has no login system. A back office tells the lifecycle which permissions the acting
//! user has (the ledger keeps grants per user: a role or a single permission), and every
//! transition checks the one it needs.
//!
//! ```
//! use factuur::lifecycle::{Permission, Permissions};
//! let p = Permissions::from_grants(["clerk", "invoice.unblock"]).unwrap();
//! assert!(p.allows(Permission::InvoiceTransition));
//! assert!(p.allows(Permission::InvoiceUnblock));
//! assert!(!p.allows(Permission::ReportedList));
//! ```

use std::fmt;

/// One thing a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Permission {
    /// Add invoices to the ledger (`invoice.create`).
    InvoiceCreate,
    /// Edit a concept or proforma invoice (`invoice.edit`).
    InvoiceEdit,
    /// Move an invoice through the status flow (`invoice.transition`).
    InvoiceTransition,
    /// Unblock a reported invoice that has no VAT ticket (`invoice.unblock`).
    InvoiceUnblock,
    /// See invoices and their history (`invoice.view`).
    InvoiceView,
    /// List the reported invoices, the seed's *Gemelde facturen* menu (`reported.list`).
    ReportedList,
    /// Offer reported invoices to the tax black box and record its answers (`report.run`).
    ReportRun,
    /// Set up number series and grant roles and permissions (`ledger.admin`).
    LedgerAdmin,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 8] = [
        Permission::InvoiceCreate,
        Permission::InvoiceEdit,
        Permission::InvoiceTransition,
        Permission::InvoiceUnblock,
        Permission::InvoiceView,
        Permission::ReportedList,
        Permission::ReportRun,
        Permission::LedgerAdmin,
    ];

    /// The permission's name, as granted: `invoice.unblock`.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::InvoiceCreate => "invoice.create",
            Permission::InvoiceEdit => "invoice.edit",
            Permission::InvoiceTransition => "invoice.transition",
            Permission::InvoiceUnblock => "invoice.unblock",
            Permission::InvoiceView => "invoice.view",
            Permission::ReportedList => "reported.list",
            Permission::ReportRun => "report.run",
            Permission::LedgerAdmin => "ledger.admin",
        }
    }

    /// The permission with this name.
    pub fn from_name(name: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == name)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named bundle of permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// Everything.
    Admin,
    /// Day-to-day invoicing: create, edit, transition, unblock, view.
    Clerk,
    /// Read only: invoices and their history.
    Viewer,
    /// The reporting process: offers reported invoices to the black box, lists them, views.
    Reporter,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Clerk, Role::Viewer, Role::Reporter];

    /// The role's name, as granted.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clerk => "clerk",
            Role::Viewer => "viewer",
            Role::Reporter => "reporter",
        }
    }

    /// The role with this name.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// What the role allows.
    pub fn permissions(self) -> Permissions {
        use Permission::*;
        match self {
            Role::Admin => Permissions::all(),
            Role::Clerk => Permissions::of(&[
                InvoiceCreate,
                InvoiceEdit,
                InvoiceTransition,
                InvoiceUnblock,
                InvoiceView,
            ]),
            Role::Viewer => Permissions::of(&[InvoiceView]),
            Role::Reporter => Permissions::of(&[ReportRun, ReportedList, InvoiceView]),
        }
    }
}

/// A grant that names neither a role nor a permission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is neither a role (admin, clerk, viewer, reporter) nor a permission (invoice.create, invoice.edit, invoice.transition, invoice.unblock, invoice.view, reported.list, report.run, ledger.admin)"
)]
pub struct UnknownGrant(pub String);

/// Checks that `grant` names a role or a permission.
pub fn check_grant(grant: &str) -> Result<(), UnknownGrant> {
    if Role::from_name(grant).is_some() || Permission::from_name(grant).is_some() {
        Ok(())
    } else {
        Err(UnknownGrant(grant.to_owned()))
    }
}

/// A set of permissions: what one user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Permissions(u16);

impl Permissions {
    /// No permission at all.
    pub const fn none() -> Permissions {
        Permissions(0)
    }

    /// Every permission.
    pub fn all() -> Permissions {
        Permissions::of(&Permission::ALL)
    }

    /// Exactly these permissions.
    pub fn of(list: &[Permission]) -> Permissions {
        Permissions(list.iter().fold(0, |acc, p| acc | p.bit()))
    }

    /// The union of grants, each a role name or a permission name.
    pub fn from_grants<I, S>(grants: I) -> Result<Permissions, UnknownGrant>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = Permissions::none();
        for g in grants {
            let g = g.as_ref();
            if let Some(role) = Role::from_name(g) {
                out.0 |= role.permissions().0;
            } else if let Some(p) = Permission::from_name(g) {
                out.0 |= p.bit();
            } else {
                return Err(UnknownGrant(g.to_owned()));
            }
        }
        Ok(out)
    }

    /// Whether `permission` is in the set.
    pub fn allows(self, permission: Permission) -> bool {
        self.0 & permission.bit() != 0
    }

    /// The permissions in the set, in a fixed order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.allows(*p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::from_name(p.as_str()), Some(p));
        }
        for r in Role::ALL {
            assert_eq!(Role::from_name(r.as_str()), Some(r));
        }
    }

    #[test]
    fn roles_and_grants() {
        assert_eq!(
            Permissions::from_grants(["admin"]).unwrap(),
            Permissions::all()
        );
        let v = Permissions::from_grants(["viewer"]).unwrap();
        assert!(v.allows(Permission::InvoiceView));
        assert!(!v.allows(Permission::InvoiceEdit));
        assert!(!Role::Clerk.permissions().allows(Permission::ReportedList));
        assert!(
            Role::Reporter
                .permissions()
                .allows(Permission::ReportedList)
        );
        let err = Permissions::from_grants(["boss"]).unwrap_err();
        assert!(err.to_string().contains("\"boss\""));
        assert!(check_grant("reported.list").is_ok());
        assert!(check_grant("everything").is_err());
        assert_eq!(Permissions::none().iter().count(), 0);
        assert_eq!(Permissions::all().iter().count(), Permission::ALL.len());
    }
}
