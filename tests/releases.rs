//! The whole path on the embedded default: demo, releases read back, verification,
//! tampering, idempotent re-runs and the next version.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::File;

use common::{Env, root, sha256_file};
use polars::prelude::*;

fn read_parquet(path: &std::path::Path) -> DataFrame {
    ParquetReader::new(File::open(path).unwrap()).finish().unwrap()
}

#[test]
fn demo_publishes_valid_samples_and_rejects_broken_ones() {
    let env = Env::new();
    let run = env.run(&["demo", "--no-serve"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // Disdukcapil's and Dinkes' submissions are published; Disdikbud's waits for review.
    assert_eq!(
        run.stdout.matches("diterbitkan sebagai rilis v1").count(),
        2,
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("Ditolak").count(), 4, "{}", run.stdout);
    assert!(run.stdout.contains("metadata-error: 3"), "{}", run.stdout);

    let penduduk = env.release("disdukcapil", "jumlah-penduduk-kelurahan", 1);
    let df = read_parquet(&penduduk.join("data.parquet"));
    assert_eq!(df.height(), 58);
    let names: Vec<&str> = df.get_column_names().into_iter().map(|n| n.as_str()).collect();
    assert_eq!(names, ["tahun", "kode_kelurahan", "jenis_kelamin", "jumlah_penduduk"]);
    assert_eq!(df.column("tahun").unwrap().dtype(), &DataType::Int32);
    assert_eq!(df.column("kode_kelurahan").unwrap().dtype(), &DataType::String);
    assert_eq!(df.column("jumlah_penduduk").unwrap().dtype(), &DataType::Int64);
    let codes = df.column("kode_kelurahan").unwrap().str().unwrap().clone();
    assert!(
        codes
            .iter()
            .all(|c| c.is_some_and(|c| c.starts_with("61.71.") && c.len() == 13))
    );
    let total: i64 = df.column("jumlah_penduduk").unwrap().i64().unwrap().sum().unwrap();
    assert!(total > 500_000 && total < 900_000, "total {total}");

    // Decimal commas in a Windows-1252 file became real numbers.
    let kunjungan = read_parquet(&env.release("dinkes", "kunjungan-puskesmas", 1).join("data.parquet"));
    let pct = kunjungan.column("persentase_peserta_jkn").unwrap();
    assert_eq!(pct.dtype(), &DataType::Float64);
    assert!(
        pct.f64()
            .unwrap()
            .iter()
            .all(|v| v.is_some_and(|v| (0.0..=100.0).contains(&v)))
    );

    // The CSV is UTF-8 with a header of field names; the manifest lists every file's checksum.
    let csv = std::fs::read_to_string(penduduk.join("data.csv")).unwrap();
    assert!(csv.starts_with("tahun,kode_kelurahan,jenis_kelamin,jumlah_penduduk\n"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(penduduk.join("manifest.json")).unwrap()).unwrap();
    for file in manifest["files"].as_array().unwrap() {
        let path = penduduk.join(file["path"].as_str().unwrap());
        assert_eq!(sha256_file(&path), file["sha256"].as_str().unwrap());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), file["size"].as_u64().unwrap());
    }
    assert_eq!(manifest["previous_manifest_sha256"], serde_json::Value::Null);
    assert_eq!(manifest["format"], "satudata-manifest/2");
    let signature: serde_json::Value =
        serde_json::from_slice(&std::fs::read(penduduk.join("manifest.sig")).unwrap()).unwrap();
    assert_eq!(signature["algorithm"], "ed25519");
    assert_eq!(
        signature["manifest_sha256"],
        sha256_file(&penduduk.join("manifest.json"))
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&std::fs::read(penduduk.join("metadata.json")).unwrap()).unwrap();
    assert_eq!(metadata["dataset"]["columns"][3]["satuan"], "jiwa");
    assert_eq!(metadata["provenance"]["period"], "2024");

    // The rejected Bappeda dataset has no release.
    assert!(!env.release("bappeda", "rekap-anggaran-bappeda", 1).exists());

    let ok = env.run(&["verify", penduduk.to_str().unwrap()]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(ok.stdout.contains("utuh"), "{}", ok.stdout);
    let audit = env.run(&["audit", "verify"]);
    assert_eq!(audit.code, 0, "{}", audit.stdout);

    // Running the demo again tells nothing again: it serves what the first run left.
    let again = env.run(&["demo", "--no-serve"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("sudah dimainkan"), "{}", again.stdout);
    assert!(!env.release("disdukcapil", "jumlah-penduduk-kelurahan", 2).exists());
}

#[cfg(unix)]
#[test]
fn the_signing_key_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    assert_eq!(env.run(&["init"]).code, 0);
    let key = env.data_dir().join("keys/kenirsangkalan.key");
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    let public = std::fs::read_to_string(env.data_dir().join("keys/kenirsangkalan.pub")).unwrap();
    assert_eq!(public.trim().len(), 64);
    // A second init keeps the key.
    let before = std::fs::read(&key).unwrap();
    assert_eq!(env.run(&["init"]).code, 0);
    assert_eq!(std::fs::read(&key).unwrap(), before);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// The files of a release, in the order they are written.
const RELEASE_FILES: [&str; 7] = [
    "data.parquet",
    "data.csv",
    "data.json",
    "datapackage.json",
    "metadata.json",
    "manifest.json",
    "manifest.sig",
];

#[test]
fn verify_names_any_changed_byte_of_any_file() {
    let env = Env::with_sample_region();
    let run = env.run(&["run", "pipelines/sekolah-jenjang-2024.toml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let release = env.release("disdikbud", "sekolah-jenjang", 1);
    let mut names: Vec<String> = std::fs::read_dir(&release)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected = RELEASE_FILES.map(String::from).to_vec();
    expected.sort();
    assert_eq!(names, expected);
    for file in RELEASE_FILES {
        // A flipped bit, a space turned into a tab, and one inserted space, each in the middle.
        for edit in ["flip", "whitespace", "insert"] {
            let copy = env.dir.path().join(format!("salinan-{edit}-{file}"));
            copy_dir(&release, &copy);
            let path = copy.join(file);
            let mut bytes = std::fs::read(&path).unwrap();
            let middle = bytes.len() / 2;
            match edit {
                "flip" => bytes[middle] ^= 0x01,
                "whitespace" => {
                    let at = (middle..bytes.len()).chain(0..middle).find(|&i| bytes[i] == b' ');
                    match at {
                        Some(at) => bytes[at] = b'\t',
                        None => bytes[middle] ^= 0x01,
                    }
                }
                _ => bytes.insert(middle, b' '),
            }
            std::fs::write(&path, bytes).unwrap();
            let out = env.run(&["verify", copy.to_str().unwrap()]);
            assert_eq!(out.code, 1, "{file} {edit}: {}", out.stdout);
            assert!(out.stdout.contains("TIDAK utuh"), "{file} {edit}: {}", out.stdout);
            let named = out
                .stdout
                .lines()
                .filter(|l| l.starts_with("- "))
                .any(|l| l.contains(&format!("{file} ")) || l.contains(&format!("{file}:")));
            assert!(named, "{file} {edit}: {}", out.stdout);
        }
    }
    // A file slipped into the folder is reported too.
    let extra = env.dir.path().join("salinan-extra");
    copy_dir(&release, &extra);
    std::fs::write(extra.join("catatan.txt"), "x").unwrap();
    let out = env.run(&["--lang", "en", "verify", extra.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("catatan.txt is not listed"), "{}", out.stdout);
}

/// `SHA256:…` fingerprints in a text, in order.
fn fingerprints(text: &str) -> Vec<&str> {
    text.match_indices("SHA256:")
        .map(|(i, _)| &text[i..i + 7 + 32])
        .collect()
}

#[test]
fn verify_passes_only_against_a_trusted_key() {
    let env = Env::with_sample_region();
    assert_eq!(env.run(&["run", "pipelines/sekolah-jenjang-2024.toml"]).code, 0);
    let release = env.release("disdikbud", "sekolah-jenjang", 1);
    let path = release.to_str().unwrap();
    let public = env.data_dir().join("keys/kenirsangkalan.pub");
    let key_hex = std::fs::read_to_string(&public).unwrap().trim().to_owned();

    // The data directory's own key is trusted.
    let own = env.run(&["verify", path]);
    assert_eq!(own.code, 0, "{}{}", own.stdout, own.stderr);
    let signer = fingerprints(&own.stdout)[0].to_owned();

    // Elsewhere, with no key given, the signer is unknown and named by its fingerprint.
    let stranger = Env::new();
    let unknown = stranger.run(&["verify", path]);
    assert_eq!(unknown.code, 1, "{}{}", unknown.stdout, unknown.stderr);
    assert!(unknown.stdout.contains("tidak lolos"), "{}", unknown.stdout);
    assert!(
        unknown.stdout.contains("Penanda tangan tidak dikenal"),
        "{}",
        unknown.stdout
    );
    assert_eq!(fingerprints(&unknown.stdout), [signer.as_str()], "{}", unknown.stdout);
    assert!(!stranger.data_dir().exists(), "verify must not create a data directory");

    // --any-signer checks integrity only, and says so.
    let any = stranger.run(&["--lang", "en", "verify", "--any-signer", path]);
    assert_eq!(any.code, 0, "{}{}", any.stdout, any.stderr);
    assert!(any.stdout.contains("signer was NOT checked"), "{}", any.stdout);
    assert!(any.stdout.contains(&signer), "{}", any.stdout);

    // --public-key as hex or as a file.
    for key in [key_hex.as_str(), public.to_str().unwrap()] {
        let out = stranger.run(&["verify", "--public-key", key, path]);
        assert_eq!(out.code, 0, "{key}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("kunci tepercaya"), "{}", out.stdout);
    }
    let bad = stranger.run(&["verify", "--public-key", "abc", path]);
    assert_eq!(bad.code, 2, "{}{}", bad.stdout, bad.stderr);
    assert!(bad.stderr.contains("64 digit heksadesimal"), "{}", bad.stderr);

    // A trusted-keys file, given or in the configuration folder, names the key it matched.
    let pinned = stranger.dir.path().join("trusted-keys");
    let text = format!("# Pusat Data yang dipercaya\n{key_hex}  Pusat Data Kota Pontianak\n");
    std::fs::write(&pinned, &text).unwrap();
    let out = stranger.run(&["verify", "--trusted-keys", pinned.to_str().unwrap(), path]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Pusat Data Kota Pontianak"), "{}", out.stdout);
    let config = stranger.dir.path().join("config/satudata");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("trusted-keys"), &text).unwrap();
    let out = stranger.run(&["verify", path]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    std::fs::write(&pinned, "bukan-kunci\n").unwrap();
    let out = stranger.run(&["verify", "--trusted-keys", pinned.to_str().unwrap(), path]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("baris 1"), "{}", out.stderr);

    // A folder that is not there is a usage error, not a verdict.
    let missing = stranger.dir.path().join("tidak-ada");
    let out = stranger.run(&["verify", missing.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("Tidak ada: "), "{}", out.stderr);

    // A release signed by another data center is refused here, naming both keys.
    let other = Env::with_sample_region();
    assert_eq!(other.run(&["run", "pipelines/sekolah-jenjang-2024.toml"]).code, 0);
    let foreign = other.release("disdikbud", "sekolah-jenjang", 1);
    let out = env.run(&["verify", foreign.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let named = fingerprints(&out.stdout);
    assert_eq!(named.len(), 2, "{}", out.stdout);
    assert_ne!(named[0], signer);
    assert_eq!(named[1], signer);
}

#[test]
fn unchanged_input_publishes_nothing_and_changed_input_publishes_v2() {
    let env = Env::with_sample_region();
    let data = root().join("sample_data/submissions");
    let p2024 = env.pipeline(
        "p2024",
        "jumlah-penduduk-kelurahan",
        "2024",
        &data.join("penduduk-kelurahan-2024.csv"),
    );
    let first = env.run(&["run", p2024.to_str().unwrap()]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let v1 = env.release("disdukcapil", "jumlah-penduduk-kelurahan", 1);
    let v1_hashes: Vec<String> = RELEASE_FILES.iter().map(|f| sha256_file(&v1.join(f))).collect();

    let second = env.run(&["run", p2024.to_str().unwrap()]);
    assert_eq!(second.code, 0);
    assert!(
        second.stdout.contains("Data tidak berubah sejak rilis v1"),
        "{}",
        second.stdout
    );
    assert!(!env.release("disdukcapil", "jumlah-penduduk-kelurahan", 2).exists());

    let p2025 = env.pipeline(
        "p2025",
        "jumlah-penduduk-kelurahan",
        "2025",
        &data.join("penduduk-kelurahan-2025.csv"),
    );
    let third = env.run(&["run", p2025.to_str().unwrap()]);
    assert_eq!(third.code, 0, "{}", third.stdout);
    assert!(third.stdout.contains("Rilis v2 diterbitkan"), "{}", third.stdout);
    let v2 = env.release("disdukcapil", "jumlah-penduduk-kelurahan", 2);
    let df = read_parquet(&v2.join("data.parquet"));
    // A series: v2 holds 2025's rows beside 2024's.
    let years = df.column("tahun").unwrap().i32().unwrap().clone();
    assert_eq!(years.iter().filter(|y| *y == Some(2024)).count(), 58);
    assert_eq!(years.iter().filter(|y| *y == Some(2025)).count(), 58);

    // v1 is untouched, and v2 chains to it.
    let after: Vec<String> = RELEASE_FILES.iter().map(|f| sha256_file(&v1.join(f))).collect();
    assert_eq!(v1_hashes, after);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(v2.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["previous_manifest_sha256"].as_str().unwrap(),
        v1_hashes[RELEASE_FILES.iter().position(|f| *f == "manifest.json").unwrap()]
    );
    assert_eq!(manifest["version"], 2);
    assert_eq!(env.run(&["verify", v2.to_str().unwrap()]).code, 0);

    // A rejected run exits 1 and leaves the releases alone.
    let broken = env.pipeline(
        "rusak",
        "jumlah-penduduk-kelurahan",
        "2025",
        &data.join("penduduk-kelurahan-rusak-kode-wilayah.csv"),
    );
    let rejected = env.run(&["run", broken.to_str().unwrap()]);
    assert_eq!(rejected.code, 1, "{}", rejected.stdout);
    assert!(!env.release("disdukcapil", "jumlah-penduduk-kelurahan", 3).exists());
}

#[test]
fn audit_verify_detects_an_edited_log() {
    let env = Env::with_sample_region();
    assert_eq!(env.run(&["run", "pipelines/sekolah-jenjang-2024.toml"]).code, 0);
    assert_eq!(env.run(&["audit", "verify"]).code, 0);
    let db = env.data_dir().join("catalog.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let catalog = satudata_catalog::Catalog::open_sqlite(&db).await.unwrap();
        let pool = catalog.pool();
        sqlx_exec(pool, "DROP TRIGGER audit_log_no_update").await;
        sqlx_exec(pool, "UPDATE audit_log SET actor = 'penyusup' WHERE id = 3").await;
    });
    let broken = env.run(&["audit", "verify"]);
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(broken.stdout.contains("entri 3"), "{}", broken.stdout);
}

async fn sqlx_exec(pool: &sqlx::AnyPool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}
