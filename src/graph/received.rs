//! Money an organization received, by the part the records give it. A
//! grant to one recipient is that recipient's; a grant to a consortium is
//! the consortium's, held by its lead where one is named, and no member's
//! share is stated. So only grants to a sole recipient are ever added up
//! for an organization: no amount is credited to two organizations.

use super::{stats::grant_total, Graph, Idx};
use crate::model::vocab::RecipientRole;
use crate::model::{Data, Kind, Totals};

/// How an organization took part in the grants it received.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Received {
    /// Grants whose only recipient it is, in graph order.
    pub sole: Vec<Idx>,
    /// Their amounts, per currency: the only total an organization gets.
    pub sole_total: Totals,
    /// Consortium grants it leads (role `lead`; a consortium is a grant
    /// with more than one recipient).
    pub lead: Vec<Idx>,
    /// Consortium grants it is a member of, not as lead, with its role.
    pub member: Vec<(Idx, RecipientRole)>,
}

/// What `org` received, from the grants that name it as a recipient.
pub fn received(graph: &Graph, org: Idx, grants: &[Idx]) -> Received {
    let id = &graph.entities[org].meta.id;
    let mut out = Received::default();
    for &g in grants {
        let Data::Grant(grant) = &graph.entities[g].data else {
            continue;
        };
        let mine = grant
            .recipients
            .iter()
            .find(|r| r.organization.kind == Kind::Organization && &r.organization.id == id);
        let Some(mine) = mine else { continue };
        if grant.recipients.len() == 1 {
            out.sole.push(g);
            for m in grant_total(grant).amounts() {
                out.sole_total.add(&m);
            }
        } else if mine.role == RecipientRole::Lead {
            out.lead.push(g);
        } else {
            out.member.push((g, mine.role));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::with_base;

    #[test]
    fn only_grants_to_a_sole_recipient_are_added_up() {
        let one = "---\ntitle: One\npartnership: p\nfunder: gov\nrecipients:\n  - organization: ngo\nawarded: 2020\namount: 100\ncurrency: EUR\ntranches:\n  - date: 2021\n    amount: 50\n---\n";
        let many = "---\ntitle: Many\npartnership: p\nfunder: gov\nrecipients:\n  - organization: ngo\n    role: partner\n  - organization: gov\n    role: lead\nawarded: 2020\namount: 2350000\ncurrency: EUR\n---\n";
        let (g, diags) = with_base(&[("grants/one.md", one), ("grants/many.md", many)]);
        assert!(diags.is_empty(), "{diags:?}");
        let ngo = g.get(Kind::Organization, "ngo").unwrap();
        let gov = g.get(Kind::Organization, "gov").unwrap();
        let of = |o| {
            let grants = g.referrers(o, Kind::Grant, "recipients.organization");
            received(&g, o, &grants)
        };
        let r = of(ngo);
        assert_eq!(r.sole, vec![g.get(Kind::Grant, "one").unwrap()]);
        let total: Vec<String> = r.sole_total.amounts().iter().map(|m| m.exact()).collect();
        assert_eq!(
            total,
            ["150.00 EUR"],
            "the consortium's 2,350,000 EUR is not added"
        );
        assert_eq!(
            r.member,
            vec![(g.get(Kind::Grant, "many").unwrap(), RecipientRole::Partner)]
        );
        let r = of(gov);
        assert!(r.sole.is_empty() && r.sole_total.amounts().is_empty());
        assert_eq!(r.lead, vec![g.get(Kind::Grant, "many").unwrap()]);
    }
}
