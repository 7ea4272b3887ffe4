//! `POST /api/v1/organizations`, `PATCH /api/v1/organizations/{slug}`: the administrators
//! register and rename PDs (`Action::ManageAccounts`); reading them is `organizations.rs`.
//! The catalog's `put_organization` records each change in the audit log, with before and after.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use satudata_core::Organization;
use satudata_core::access::{Action, Target, decide};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Identity;
use crate::error::{Error, ErrorBody, Result};
use crate::json::ApiJson;
use crate::read::{self, refuse};
use crate::state::AppState;
use crate::views::OrganizationView;

/// Longest slug, name, abbreviation, region code or e-mail, in characters.
const MAX_FIELD_CHARS: usize = 200;

/// An organization to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    /// Short identifier used in paths (`[a-z0-9-]{2,64}`, `disdukcapil`).
    pub slug: String,
    /// Full name.
    pub nama: String,
    /// Abbreviation as people say it.
    #[serde(default)]
    pub singkatan: String,
    /// The region it serves (`61.71`).
    pub kode_wilayah: String,
    /// Contact e-mail.
    #[serde(default)]
    pub email: String,
}

/// A change to an organization: the fields given are replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationChange {
    /// Full name.
    pub nama: Option<String>,
    /// Abbreviation.
    pub singkatan: Option<String>,
    /// The region it serves.
    pub kode_wilayah: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
}

/// Checks a slug: lowercase letters, digits and `-`, 2 to 64, not starting or ending with `-`.
fn check_slug(slug: &str) -> Result<()> {
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    let fine =
        (2..=64).contains(&slug.len()) && slug.bytes().all(allowed) && !slug.starts_with('-') && !slug.ends_with('-');
    if fine {
        Ok(())
    } else {
        Err(Error::BadParameter {
            parameter: "slug",
            value: slug.chars().take(80).collect(),
        })
    }
}

/// Refuses an organization whose name or region is empty or a field that is overlong or holds
/// control characters.
fn check_fields(org: &Organization) -> Result<()> {
    let fields = [
        ("nama", &org.nama),
        ("singkatan", &org.singkatan),
        ("kode_wilayah", &org.kode_wilayah),
        ("email", &org.email),
    ];
    for (name, value) in fields {
        let bad = value.chars().count() > MAX_FIELD_CHARS || value.chars().any(char::is_control);
        let empty = matches!(name, "nama" | "kode_wilayah") && value.trim().is_empty();
        if bad || empty {
            return Err(Error::InvalidBody {
                detail: format!("{name}: 1 to {MAX_FIELD_CHARS} characters without control characters"),
            });
        }
    }
    Ok(())
}

/// Registers an organization (administrators).
#[utoipa::path(post, path = "/api/v1/organizations", operation_id = "organizations_create", tag = "organisasi",
    params(crate::openapi::LangParam),
    request_body = NewOrganization,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The organization", body = OrganizationView),
        (status = 400, description = "A slug that is not `[a-z0-9-]{2,64}`", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator, or a cookie without X-CSRF-Token", body = ErrorBody),
        (status = 409, description = "The slug is taken", body = ErrorBody),
        (status = 422, description = "An empty name or region, or a body of the wrong shape", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    identity: Identity,
    ApiJson(request): ApiJson<NewOrganization>,
) -> Result<(StatusCode, Json<OrganizationView>)> {
    refuse(
        decide(&identity.actor, Action::ManageAccounts, &Target::DataCenter),
        "organization",
        &request.slug,
    )?;
    let admin = identity.signed_in()?;
    check_slug(&request.slug)?;
    let org = Organization {
        slug: request.slug,
        nama: request.nama,
        singkatan: request.singkatan,
        kode_wilayah: request.kode_wilayah,
        email: request.email,
    };
    check_fields(&org)?;
    let catalog = state.center().catalog();
    match catalog.organization(&org.slug).await {
        Ok(_) => {
            return Err(Error::Conflict {
                kind: "organization",
                key: org.slug,
            });
        }
        Err(satudata_catalog::Error::NotFound { .. }) => {}
        Err(other) => return Err(other.into()),
    }
    catalog.put_organization(&org, &admin.username).await?;
    let view = read::organization(&state, &identity.actor, &org.slug).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Changes an organization's name, abbreviation, region or e-mail (administrators).
#[utoipa::path(patch, path = "/api/v1/organizations/{slug}", operation_id = "organizations_update", tag = "organisasi",
    params(("slug" = String, Path, description = "The organization's slug"), crate::openapi::LangParam),
    request_body = OrganizationChange,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The organization as it is now", body = OrganizationView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator, or a cookie without X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "An empty name or region, or a body of the wrong shape", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(slug): Path<String>,
    ApiJson(change): ApiJson<OrganizationChange>,
) -> Result<Json<OrganizationView>> {
    refuse(
        decide(&identity.actor, Action::ManageAccounts, &Target::Organization(&slug)),
        "organization",
        &slug,
    )?;
    let admin = identity.signed_in()?;
    let catalog = state.center().catalog();
    let mut org = catalog.organization(&slug).await?;
    if let Some(nama) = change.nama {
        org.nama = nama;
    }
    if let Some(singkatan) = change.singkatan {
        org.singkatan = singkatan;
    }
    if let Some(kode_wilayah) = change.kode_wilayah {
        org.kode_wilayah = kode_wilayah;
    }
    if let Some(email) = change.email {
        org.email = email;
    }
    check_fields(&org)?;
    catalog.put_organization(&org, &admin.username).await?;
    Ok(Json(read::organization(&state, &identity.actor, &slug).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_with_hyphens() {
        for good in ["disdukcapil", "dinas-kesehatan", "pd2"] {
            assert!(check_slug(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "a",
            "Dinkes",
            "-dinkes",
            "dinkes-",
            "din kes",
            "din/kes",
            "../x",
            &"a".repeat(65),
        ] {
            assert!(matches!(check_slug(bad), Err(Error::BadParameter { .. })), "{bad}");
        }
    }
}
