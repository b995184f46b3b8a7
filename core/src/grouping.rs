//! The warnings of a large transfer, regrouped so a person can read them: one group per
//! user and per team, one for invoices, one for linked products ("Carol loses access to
//! 3,334 products"), and the complete list as CSV for those who want every line.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::warnings::{ProductWarnings, Warnings};

/// What a group of warnings is about. Users and teams are positions in
/// [`Warnings::users`] and [`Warnings::teams`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningSubject {
    UserLosesAccess(u32),
    KDriveUserIntegrated(u32),
    TeamLosesRights(u32),
    InvoicesStaying,
    LinkedLeftBehind,
}

impl WarningSubject {
    /// The subjects one product's warnings put it under.
    fn of(product: &ProductWarnings) -> impl Iterator<Item = Self> + '_ {
        let users = (product.users_losing_access.iter()).map(|&u| Self::UserLosesAccess(u));
        let kdrive =
            (product.kdrive_users_integrated.iter()).map(|&u| Self::KDriveUserIntegrated(u));
        let teams = (product.teams_losing_rights.iter()).map(|&t| Self::TeamLosesRights(t));
        let invoices = (!product.invoices_staying.is_empty()).then_some(Self::InvoicesStaying);
        let linked = (!product.linked_left_behind.is_empty()).then_some(Self::LinkedLeftBehind);
        users
            .chain(kdrive)
            .chain(teams)
            .chain(invoices)
            .chain(linked)
    }

    /// Whose kind of warning comes first on the page: people losing access, kDrive users,
    /// teams, then invoices and linked products.
    pub fn rank(self) -> u8 {
        match self {
            Self::UserLosesAccess(_) => 0,
            Self::KDriveUserIntegrated(_) => 1,
            Self::TeamLosesRights(_) => 2,
            Self::InvoicesStaying => 3,
            Self::LinkedLeftBehind => 4,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningGroup {
    pub subject: WarningSubject,
    /// Positions in [`Warnings::products`], ascending.
    pub products: Vec<u32>,
}

/// Every warning of `warnings`, by subject; each product appears in the group of each
/// subject its own warnings name, and in no other. Groups of a kind come largest first,
/// then in the order of their subject.
pub fn group_warnings(warnings: &Warnings) -> Vec<WarningGroup> {
    let mut pairs: Vec<(WarningSubject, u32)> = (0..)
        .zip(&warnings.products)
        .flat_map(|(position, product)| WarningSubject::of(product).map(move |s| (s, position)))
        .collect();
    pairs.sort_unstable();
    let mut groups: Vec<WarningGroup> = Vec::new();
    for (subject, position) in pairs {
        match groups.last_mut() {
            Some(group) if group.subject == subject => group.products.push(position),
            _ => groups.push(WarningGroup {
                subject,
                products: vec![position],
            }),
        }
    }
    groups.sort_by(|a, b| {
        (a.subject.rank().cmp(&b.subject.rank()))
            .then(b.products.len().cmp(&a.products.len()))
            .then(a.subject.cmp(&b.subject))
    });
    groups
}

/// How many products have nothing but their new owner to report.
pub fn quiet_products(warnings: &Warnings) -> usize {
    (warnings.products.iter())
        .filter(|product| product.is_empty())
        .count()
}

/// The complete list, one line per product and change, for a spreadsheet or a script.
/// Columns and change codes are stable and untranslated: `product_id, product_name,
/// product_kind, change, subject_id, subject_name`; a product with nothing to report has
/// one `none` line.
pub fn warnings_csv(warnings: &Warnings) -> String {
    let mut out =
        String::from("product_id,product_name,product_kind,change,subject_id,subject_name\n");
    for product in &warnings.products {
        let p = &product.product;
        let mut line = |change: &str, id: &str, name: &str| {
            let fields = [p.id.as_str(), &p.name, p.kind.as_str(), change, id, name];
            let cells: Vec<String> = fields.iter().map(|field| csv_cell(field)).collect();
            let _ = writeln!(out, "{}", cells.join(","));
        };
        for user in warnings.users_at(&product.users_losing_access) {
            line("loses_access", user.id.as_str(), &user.name);
        }
        for user in warnings.users_at(&product.kdrive_users_integrated) {
            line("kdrive_user_integrated", user.id.as_str(), &user.name);
        }
        for team in warnings.teams_at(&product.teams_losing_rights) {
            line("team_loses_rights", team.id.as_str(), &team.name);
        }
        for invoice in &product.invoices_staying {
            line("invoice_stays", invoice.id.as_str(), &invoice.number);
        }
        for linked in &product.linked_left_behind {
            line("linked_product_stays", linked.id.as_str(), &linked.name);
        }
        if product.is_empty() {
            line("none", "", "");
        }
    }
    out
}

/// Quoted when it must be; a cell a spreadsheet would run as a formula is made text.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{holdings, pid};
    use crate::warnings::warnings_for;

    fn warnings(ids: &[&str]) -> Warnings {
        let ids: Vec<_> = ids.iter().map(|id| pid(id)).collect();
        warnings_for(&holdings(), &ids)
    }

    #[test]
    fn each_person_team_and_kind_of_change_is_one_group() {
        let w = warnings(&["drive", "hosting", "domain", "vps", "backup"]);
        let names: Vec<String> = w
            .products
            .iter()
            .map(|p| p.product.id.to_string())
            .collect();
        let groups: Vec<(WarningSubject, Vec<&str>)> = group_warnings(&w)
            .into_iter()
            .map(|g| {
                let products = g
                    .products
                    .iter()
                    .map(|&p| names[p as usize].as_str())
                    .collect();
                (g.subject, products)
            })
            .collect();
        let carol = w
            .users
            .iter()
            .position(|u| u.id.as_str() == "carol")
            .unwrap() as u32;
        let dave = w
            .users
            .iter()
            .position(|u| u.id.as_str() == "dave")
            .unwrap() as u32;
        assert_eq!(
            groups,
            [
                (WarningSubject::UserLosesAccess(carol), vec!["hosting"]),
                (WarningSubject::KDriveUserIntegrated(carol), vec!["drive"]),
                (WarningSubject::KDriveUserIntegrated(dave), vec!["drive"]),
                (WarningSubject::TeamLosesRights(0), vec!["hosting"]),
                (WarningSubject::InvoicesStaying, vec!["hosting", "vps"]),
                (WarningSubject::LinkedLeftBehind, vec!["domain"]),
            ]
        );
        assert_eq!(quiet_products(&w), 1);
    }

    #[test]
    fn larger_groups_of_a_kind_come_first() {
        let mut w = warnings(&["drive", "hosting"]);
        w.products[0].users_losing_access = vec![1];
        w.products[1].users_losing_access = vec![0, 1];
        let groups = group_warnings(&w);
        assert_eq!(groups[0].subject, WarningSubject::UserLosesAccess(1));
        assert_eq!(groups[0].products, [0, 1]);
        assert_eq!(groups[1].subject, WarningSubject::UserLosesAccess(0));
    }

    #[test]
    fn the_csv_has_a_line_per_change_and_is_safe_to_open() {
        let csv = warnings_csv(&warnings(&["hosting", "backup"]));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "product_id,product_name,product_kind,change,subject_id,subject_name"
        );
        assert!(lines
            .iter()
            .any(|l| l.starts_with("backup,") && l.ends_with(",none,,")));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("hosting,") && l.contains(",loses_access,carol,Carol")));
        assert_eq!(csv_cell("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
