//! Helpers shared by the workflow's tests: the submitter and the recurring-feed switches.

#![allow(dead_code, clippy::unwrap_used)]

use satudata_core::access::{Actor, Role};
use satudata_workflow::DataCenter;

/// A submitter allowed to submit for any PD.
pub fn uji() -> Actor {
    Actor::user("uji", Role::Admin, None)
}

/// Every dataset a recurring feed: a verifier's automatic approval (with the dataset's status)
/// and its PD's standing consent, so that valid submissions publish at once.
pub async fn feeds(dc: &DataCenter) {
    let walidata = Actor::user("walidata", Role::Walidata, None);
    for metadata in dc.catalog().datasets().await.unwrap() {
        let status = Some(metadata.status_kerahasiaan());
        dc.set_auto_approve(&metadata.name, status, &walidata).await.unwrap();
        let produsen = Actor::user("produsen", Role::Produsen, Some(&metadata.organization));
        dc.set_standing_consent(&metadata.name, true, &produsen).await.unwrap();
    }
}
