//! `satudata demo`: the sample region and every sample pipeline, end to end, from any folder.
//!
//! The sample region (`sample_data/` without its tools and notes) and `pipelines/` are inside the
//! binary. When the folders are not given and not in the current folder, the embedded copy is
//! written under the data directory (the pipelines name their files by relative path), used, and
//! removed. A demo that fails removes the data directory it created: nothing half-made is left.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use satudata_core::{Lang, messages::render};

use crate::errors::{self, Explain as _, Failure};
use satudata_workflow::{DataCenter, Region};

/// Embeds files by their path from the repository root.
macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../", $path)) as &[u8])),*]
    };
}

/// The sample region and pipelines, by path from the repository root.
const EMBEDDED: &[(&str, &[u8])] = embed![
    "pipelines/kunjungan-puskesmas-2024.toml",
    "pipelines/kunjungan-puskesmas-rusak-nilai.toml",
    "pipelines/penduduk-kelurahan-2024.toml",
    "pipelines/penduduk-kelurahan-rusak-kode-wilayah.toml",
    "pipelines/rekap-anggaran-bappeda-2024.toml",
    "pipelines/sekolah-jenjang-2024.toml",
    "pipelines/sekolah-jenjang-rusak-nilai.toml",
    "sample_data/code_lists/agama.json",
    "sample_data/code_lists/jenis-kelamin.json",
    "sample_data/code_lists/jenjang-pendidikan.json",
    "sample_data/code_lists/kecamatan-pontianak.json",
    "sample_data/code_lists/wilayah-pontianak.json",
    "sample_data/datasets/jumlah-penduduk-kelurahan.json",
    "sample_data/datasets/kunjungan-puskesmas.json",
    "sample_data/datasets/rekap-anggaran-bappeda.json",
    "sample_data/datasets/sekolah-jenjang.json",
    "sample_data/master_data/puskesmas.json",
    "sample_data/master_data/sekolah.json",
    "sample_data/organizations.json",
    "sample_data/standards/kunjungan-puskesmas-bulanan.json",
    "sample_data/standards/penduduk-kelurahan-jenis-kelamin.json",
    "sample_data/standards/sekolah-menurut-jenjang.json",
    "sample_data/submissions/kunjungan-puskesmas-2024.csv",
    "sample_data/submissions/kunjungan-puskesmas-rusak-data-induk.csv",
    "sample_data/submissions/kunjungan-puskesmas-rusak-label-asing.csv",
    "sample_data/submissions/kunjungan-puskesmas-rusak-label-kosong.csv",
    "sample_data/submissions/kunjungan-puskesmas-rusak-nilai.csv",
    "sample_data/submissions/penduduk-kelurahan-2024.csv",
    "sample_data/submissions/penduduk-kelurahan-2025.csv",
    "sample_data/submissions/penduduk-kelurahan-rusak-kode-wilayah.csv",
    "sample_data/submissions/penduduk-kelurahan-rusak-label-hilang.csv",
    "sample_data/submissions/sekolah-2024.csv",
    "sample_data/submissions/sekolah-rusak-label-ganda.csv",
    "sample_data/submissions/sekolah-rusak-nilai.csv",
];

/// The folder under the data directory the embedded copy is written to while the demo runs.
const EXTRACTED: &str = ".demo-contoh";

/// Where the demo reads from: the folders given, those in the current folder, or the embedded
/// copy.
struct Sources {
    sample: PathBuf,
    pipelines: PathBuf,
    /// How the pipelines folder is shown (`pipelines` for the embedded copy).
    shown: PathBuf,
    /// The embedded copy, written out, removed when the demo ends.
    extracted: Option<PathBuf>,
}

impl Sources {
    fn find(data_dir: &Path, sample: Option<&Path>, pipelines: Option<&Path>) -> Result<Self> {
        let sample = sample
            .map(Path::to_path_buf)
            .or_else(|| Some(PathBuf::from("sample_data")).filter(|p| Region::is_region_folder(p)));
        let pipelines = pipelines
            .map(Path::to_path_buf)
            .or_else(|| Some(PathBuf::from("pipelines")).filter(|p| p.is_dir()));
        if let (Some(sample), Some(pipelines)) = (&sample, &pipelines) {
            return Ok(Sources {
                sample: sample.clone(),
                pipelines: pipelines.clone(),
                shown: pipelines.clone(),
                extracted: None,
            });
        }
        let root = data_dir.join(EXTRACTED);
        extract(&root)?;
        let shown = pipelines.clone().unwrap_or_else(|| PathBuf::from("pipelines"));
        Ok(Sources {
            sample: sample.unwrap_or_else(|| root.join("sample_data")),
            pipelines: pipelines.unwrap_or_else(|| root.join("pipelines")),
            shown,
            extracted: Some(root),
        })
    }
}

/// Writes the embedded sample region and pipelines under `root`.
fn extract(root: &Path) -> Result<()> {
    for (path, bytes) in EMBEDDED {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .explain(|| Failure::new("error.cli.write").arg("path", parent.display()))?;
        }
        std::fs::write(&target, bytes).explain(|| Failure::new("error.cli.write").arg("path", target.display()))?;
    }
    Ok(())
}

/// A demo run: the data directory to make, and where the sample region and pipelines are.
pub struct Demo<'a> {
    /// The data directory.
    pub data_dir: &'a Path,
    /// `--database-url`: the catalog database, when not the data directory's SQLite file.
    pub database: Option<&'a str>,
    /// `--sample-dir`.
    pub sample: Option<&'a Path>,
    /// `--pipelines`.
    pub pipelines: Option<&'a Path>,
    /// Bounds on each submitted file.
    pub limits: satudata_ingest::Limits,
    /// Output language.
    pub lang: Lang,
    /// Where to serve afterwards; `None` to stop when the story is told (`--no-serve`).
    pub listen: Option<std::net::SocketAddr>,
}

impl Demo<'_> {
    /// Runs the demo; a failed demo removes the data directory when it made it.
    pub async fn run(&self) -> Result<ExitCode> {
        let created = !self.data_dir.exists();
        let result = self.run_once().await;
        if result.is_err() && created {
            // Best effort: the error that stopped the demo is what the user needs to see.
            let _ = std::fs::remove_dir_all(self.data_dir);
        }
        result
    }

    async fn run_once(&self) -> Result<ExitCode> {
        let kept = self.data_dir.join(crate::story::ACCOUNTS_FILE);
        if kept.is_file() {
            // The story was told in this data directory before: serve what it left.
            let accounts = crate::story::read_accounts(&kept)?;
            say!(
                "{}",
                render(
                    self.lang,
                    "cli.demo-played",
                    &[("path", &self.data_dir.display().to_string())]
                )
            );
            let dc = DataCenter::open_with_database(self.data_dir, self.database).await?;
            return match self.listen {
                Some(listen) => self.serve(dc, listen, &accounts).await,
                None => Ok(ExitCode::SUCCESS),
            };
        }
        let dc = DataCenter::init_with_database(self.data_dir, self.database)
            .await?
            .with_limits(self.limits);
        let sources = Sources::find(self.data_dir, self.sample, self.pipelines)?;
        let result = run_sources(&dc, &sources, self.lang, self.data_dir).await;
        if let Some(root) = &sources.extracted {
            let _ = std::fs::remove_dir_all(root);
        }
        let accounts = result?;
        say!();
        say!(
            "{}",
            render(
                self.lang,
                "cli.demo-done",
                &[("path", &self.data_dir.display().to_string())]
            )
        );
        let Some(listen) = self.listen else {
            return Ok(ExitCode::SUCCESS);
        };
        self.serve(dc, listen, &accounts).await
    }

    /// Serves the demo's data directory, after saying where and as whom to sign in.
    async fn serve(
        &self,
        dc: DataCenter,
        listen: std::net::SocketAddr,
        accounts: &[crate::story::DemoAccount],
    ) -> Result<ExitCode> {
        let lang = self.lang;
        let config = satudata_server::Config {
            listen,
            ..satudata_server::Config::default()
        };
        let state = satudata_server::AppState::new(dc, config);
        let workers = crate::serve::spawn_workers(&state, 1);
        let server = satudata_server::bind(state).await?;
        let url = format!("http://{}", server.local_addr()?);
        say!();
        say!("{}", render(lang, "cli.serve-listening", &[("url", &url)]));
        say!(
            "{}",
            render(
                lang,
                "cli.demo-accounts",
                &[(
                    "path",
                    &self.data_dir.join(crate::story::ACCOUNTS_FILE).display().to_string()
                )]
            )
        );
        for a in accounts {
            let org = a.organization.as_deref().unwrap_or("-");
            say!(
                "   {:<24} {:<9} {:<12} {}",
                a.username,
                a.role.as_str(),
                org,
                a.password
            );
        }
        say!("{}", render(lang, "cli.serve-stop", &[]));
        server.run().await?;
        for worker in workers {
            let _ = worker.await;
        }
        Ok(ExitCode::SUCCESS)
    }
}

async fn run_sources(
    dc: &DataCenter,
    sources: &Sources,
    lang: Lang,
    data_dir: &Path,
) -> Result<Vec<crate::story::DemoAccount>> {
    if sources.extracted.is_some() {
        say!("{}", render(lang, "cli.demo-embedded", &[]));
    }
    let shown = match &sources.extracted {
        Some(root) => sources.sample.strip_prefix(root).unwrap_or(&sources.sample),
        None => &sources.sample,
    };
    crate::load(dc, &sources.sample, shown, lang).await?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&sources.pipelines)
        .explain(errors::reading(&sources.pipelines))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!(Failure::new("error.cli.no-pipelines").arg("path", sources.shown.display()));
    }
    let accounts = crate::story::create_accounts(dc, data_dir).await?;
    let shown: Vec<(PathBuf, PathBuf)> = files
        .into_iter()
        .map(|file| {
            let name = file.file_name().map(PathBuf::from).unwrap_or_default();
            let shown = sources.shown.join(name);
            (file, shown)
        })
        .collect();
    crate::story::play(dc, &shown, lang).await?;
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file the demo needs, walked from the repository: the sample region without its
    /// tools and notes, and the pipelines.
    fn on_disk() -> Vec<String> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("sample_data"), &mut files);
        walk(&root.join("pipelines"), &mut files);
        let mut names: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"))
            // posyandu/ is the guide's national-list example, which demo does not load.
            .filter(|p| {
                !p.starts_with("sample_data/tools/") && !p.starts_with("sample_data/posyandu/") && !p.ends_with(".md")
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_embedded_copy_is_the_sample_region_and_pipelines() {
        let embedded: Vec<String> = EMBEDDED.iter().map(|(p, _)| (*p).to_owned()).collect();
        assert_eq!(
            embedded,
            on_disk(),
            "src/demo.rs EMBEDDED must list every file of sample_data/ (but tools/, posyandu/ and *.md) and pipelines/"
        );
    }
}
