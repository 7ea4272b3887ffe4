use super::*;
use satudata_core::{Lang, ManifestSignature};

fn release_of(signer: &Signer, standard: Option<&DataStandard>) -> Release {
    let mut table = df!("kode" => ["61.71.01", "61.10"], "jumlah" => [10i64, 20]).unwrap();
    build_release(
        ReleaseInput {
            organization: "disdukcapil",
            dataset: "penduduk",
            version: 1,
            table: &mut table,
            metadata: serde_json::json!({"name": "penduduk", "title": "Penduduk", "license": "cc-by"}),
            standard,
            provenance: serde_json::json!({"submission": 1}),
            previous_manifest_sha256: None,
            created_at: "2026-01-01T00:00:00Z".into(),
        },
        signer,
    )
    .unwrap()
}

fn release(signer: &Signer) -> Release {
    release_of(signer, None)
}

fn trust(signer: &Signer) -> Trust {
    Trust::Keys(vec![TrustedKey::from_hex(&signer.public_key_hex(), "pusat").unwrap()])
}

fn file<'a>(r: &'a mut Release, name: &str) -> &'a mut Vec<u8> {
    &mut r.files.iter_mut().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn times_are_written_as_clock_times() {
    let nanos = Int64Chunked::new(
        "jam".into(),
        &[Some(30_600_000_000_000i64), Some(30_600_500_000_000), None],
    );
    let jam = nanos.into_series().cast(&DataType::Time).unwrap();
    let mut table = DataFrame::new(3, vec![jam.into_column()]).unwrap();
    let csv = String::from_utf8(write_csv(&mut table).unwrap()).unwrap();
    assert_eq!(csv, "jam\n08:30:00\n08:30:00.500\n\n");
}

#[test]
fn a_fresh_release_verifies_against_its_key() {
    let signer = Signer::generate().unwrap();
    let r = release(&signer);
    let names: Vec<_> = r.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "data.parquet",
            "data.csv",
            "data.json",
            "datapackage.json",
            "metadata.json",
            "manifest.json",
            "manifest.sig"
        ]
    );
    let v = verify_files(&r.files, &trust(&signer));
    assert_eq!(v.problems, vec![]);
    assert_eq!(v.signer.as_deref(), Some(signer.fingerprint().as_str()));
    assert_eq!(v.trusted.unwrap().name, "pusat");
    assert_eq!(
        String::from_utf8(r.files[1].1.clone()).unwrap(),
        "kode,jumlah\n61.71.01,10\n61.10,20\n"
    );
    // The manifest lists the data package, not itself or its signature.
    let listed: Vec<_> = r.manifest.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        listed,
        [
            "data.parquet",
            "data.csv",
            "data.json",
            "datapackage.json",
            "metadata.json"
        ]
    );
}

#[test]
fn without_a_trusted_key_the_signer_is_unknown() {
    let signer = Signer::generate().unwrap();
    let r = release(&signer);
    let v = verify_files(&r.files, &Trust::Keys(vec![]));
    assert_eq!(v.problems, vec![Problem::UnknownSigner(signer.fingerprint())]);
    assert!(v.problems[0].message(Lang::En).contains(&signer.fingerprint()));
    let any = verify_files(&r.files, &Trust::AnySigner);
    assert_eq!(any.problems, vec![]);
    assert_eq!(any.trusted, None);
}

#[test]
fn another_key_is_untrusted_and_both_are_named() {
    let signer = Signer::generate().unwrap();
    let other = Signer::generate().unwrap();
    let r = release(&signer);
    let v = verify_files(&r.files, &trust(&other));
    let expected = Problem::UntrustedKey {
        signer: signer.fingerprint(),
        trusted: vec![other.fingerprint()],
    };
    assert_eq!(v.problems, vec![expected]);
    let text = v.problems[0].message(Lang::Id);
    assert!(
        text.contains(&signer.fingerprint()) && text.contains(&other.fingerprint()),
        "{text}"
    );
}

#[test]
fn every_changed_byte_of_every_file_is_caught_and_named() {
    let signer = Signer::generate().unwrap();
    let original = release(&signer);
    for (name, bytes) in &original.files {
        for at in [0, bytes.len() / 2, bytes.len() - 1] {
            for edit in ["flip", "space"] {
                let mut r = original.clone();
                let b = file(&mut r, name);
                match edit {
                    "flip" => b[at] ^= 0x20,
                    _ => b.insert(at, b' '),
                }
                let problems = verify_files(&r.files, &trust(&signer)).problems;
                assert!(!problems.is_empty(), "{name} {edit} at {at}");
                let text: String = problems.iter().map(|p| p.message(Lang::En)).collect();
                assert!(text.contains(name.as_str()), "{name} {edit} at {at}: {text}");
            }
        }
    }
}

#[test]
fn a_whitespace_edit_of_the_manifest_is_caught() {
    let signer = Signer::generate().unwrap();
    let mut r = release(&signer);
    let manifest = file(&mut r, MANIFEST_FILE);
    let at = manifest.iter().position(|b| *b == b'\n').unwrap();
    manifest.insert(at, b' ');
    assert_eq!(
        verify_files(&r.files, &trust(&signer)).problems,
        vec![Problem::ManifestChanged]
    );
}

#[test]
fn a_manifest_re_signed_by_another_key_is_untrusted() {
    let signer = Signer::generate().unwrap();
    let forger = Signer::generate().unwrap();
    let mut r = release(&signer);
    let manifest = file(&mut r, MANIFEST_FILE).clone();
    *file(&mut r, SIGNATURE_FILE) = forger.sign_manifest(&manifest);
    let v = verify_files(&r.files, &trust(&signer));
    assert!(matches!(&v.problems[..], [Problem::UntrustedKey { signer: s, .. }] if *s == forger.fingerprint()));
}

#[test]
fn a_missing_signature_file_is_named() {
    let signer = Signer::generate().unwrap();
    let mut r = release(&signer);
    r.files.retain(|(n, _)| n != SIGNATURE_FILE);
    let problems = verify_files(&r.files, &trust(&signer)).problems;
    assert_eq!(problems, vec![Problem::SignatureMissing(SIGNATURE_FILE.into())]);
    assert!(problems[0].message(Lang::Id).contains(SIGNATURE_FILE));
}

/// A release as the first format wrote it: the signature inside the manifest, over its compact form.
fn format_1(signer: &Signer) -> Vec<(String, Vec<u8>)> {
    let r = release(signer);
    let mut manifest = r.manifest.clone();
    manifest.format = satudata_core::MANIFEST_FORMAT_V1.into();
    let secret = ed25519_dalek::SigningKey::from_bytes(&hex::decode(signer.secret_hex()).unwrap().try_into().unwrap());
    manifest.signature = Some(ManifestSignature {
        algorithm: "ed25519".into(),
        public_key: signer.public_key_hex(),
        value: hex::encode(secret.sign(&manifest.signing_bytes()).to_bytes()),
    });
    let mut files: Vec<_> = r
        .files
        .into_iter()
        .filter(|(n, _)| n != MANIFEST_FILE && n != SIGNATURE_FILE)
        .collect();
    files.push((MANIFEST_FILE.into(), manifest.to_file_bytes()));
    files
}

#[test]
fn format_1_releases_still_verify_and_a_whitespace_edit_is_caught() {
    let signer = Signer::generate().unwrap();
    let mut files = format_1(&signer);
    assert_eq!(verify_files(&files, &trust(&signer)).problems, vec![]);
    let manifest = &mut files.last_mut().unwrap().1;
    let at = manifest.iter().position(|b| *b == b'\n').unwrap();
    manifest.insert(at, b' ');
    assert_eq!(
        verify_files(&files, &trust(&signer)).problems,
        vec![Problem::Reformatted(MANIFEST_FILE.into())]
    );
}

#[test]
fn an_edited_format_1_manifest_breaks_the_signature() {
    let signer = Signer::generate().unwrap();
    let mut files = format_1(&signer);
    let mut m = Manifest::from_json(&files.last().unwrap().1).unwrap();
    m.version = 7;
    files.last_mut().unwrap().1 = m.to_file_bytes();
    assert_eq!(
        verify_files(&files, &trust(&signer)).problems,
        vec![Problem::BadSignature(MANIFEST_FILE.into())]
    );
}

#[test]
fn trusted_keys_files_name_their_keys_and_their_bad_lines() {
    let a = Signer::generate().unwrap();
    let b = Signer::generate().unwrap();
    let text = format!(
        "# Pusat Data tetangga\n\n{}  Kota Pontianak\n{}\n",
        a.public_key_hex(),
        b.public_key_hex()
    );
    let keys = parse_trusted_keys(&text).unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].name, "Kota Pontianak");
    assert_eq!(keys[1].name, "");
    let err = parse_trusted_keys("# x\nbukan-kunci nama\n").unwrap_err();
    assert!(err.to_string().starts_with("line 2:"), "{err}");
}

#[test]
fn fingerprints_are_short_and_stable() {
    let signer = Signer::from_secret_hex(&"11".repeat(32)).unwrap();
    let fp = signer.fingerprint();
    assert!(fp.starts_with("SHA256:") && fp.len() == 7 + 32, "{fp}");
    assert_eq!(fp, fingerprint(&parse_public_key(&signer.public_key_hex()).unwrap()));
}

#[test]
fn content_digest_ignores_provenance_and_time() {
    let signer = Signer::generate().unwrap();
    let a = release(&signer);
    let b = release(&signer);
    assert_eq!(a.manifest.content_digest, b.manifest.content_digest);
    let key_round_trip = Signer::from_secret_hex(&signer.secret_hex()).unwrap();
    assert_eq!(key_round_trip.public_key_hex(), signer.public_key_hex());
}

#[test]
fn the_parquet_file_stores_the_arrow_schema_without_view_types() {
    use polars_parquet::write::schema_to_metadata_key;
    let mut table = df!("kode" => ["61.71.01"], "jumlah" => [1i64]).unwrap();
    let bytes = write_parquet(&mut table).unwrap();
    let back = ParquetReader::new(std::io::Cursor::new(bytes.clone()))
        .finish()
        .unwrap();
    assert_eq!(back, table);
    let metadata = polars_parquet::read::read_metadata(&mut std::io::Cursor::new(bytes)).unwrap();
    let stored: Vec<_> = metadata
        .key_value_metadata()
        .iter()
        .flatten()
        .filter(|kv| kv.key == "ARROW:schema")
        .map(|kv| kv.value.clone())
        .collect();
    let oldest = schema_to_metadata_key(&table.schema().to_arrow(CompatLevel::oldest()));
    let newest = schema_to_metadata_key(&table.schema().to_arrow(CompatLevel::newest()));
    assert_ne!(oldest.value, newest.value);
    assert_eq!(stored, vec![oldest.value]);
}

#[test]
fn the_data_package_types_codes_as_text_and_keeps_the_key() {
    let standard = DataStandard::from_json(
        br#"{"id":"s","nama":"S","kunci_utama":["kode"],"kolom":[
            {"nama":"kode","konsep":"Kelurahan","definisi":"Kode wilayah.","tipe_data":"kode_wilayah",
             "aturan_validasi":{"wajib":true}},
            {"nama":"jumlah","tipe_data":"integer","satuan":"jiwa","aturan_validasi":{"minimum":0}}]}"#,
    )
    .unwrap();
    let r = release_of(&Signer::generate().unwrap(), Some(&standard));
    let package: serde_json::Value =
        serde_json::from_slice(&r.files.iter().find(|(n, _)| n == DATAPACKAGE_FILE).unwrap().1).unwrap();
    let data = &package["resources"][0];
    assert_eq!(data["path"], "data.csv");
    assert_eq!(data["hash"], format!("sha256:{}", sha256_hex(&r.files[1].1)));
    let schema = &data["schema"];
    assert_eq!(schema["fields"][0]["type"], "string");
    assert_eq!(schema["fields"][0]["title"], "Kelurahan");
    assert_eq!(schema["fields"][0]["constraints"]["required"], true);
    assert_eq!(schema["fields"][1]["type"], "integer");
    assert_eq!(schema["fields"][1]["constraints"]["minimum"], 0);
    assert_eq!(schema["primaryKey"], serde_json::json!(["kode"]));
    assert_eq!(schema["missingValues"], serde_json::json!([""]));
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    assert_eq!(package["resources"][1]["schema"], *schema);
}
