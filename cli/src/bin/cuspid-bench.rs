//! `cuspid-bench`: builds a clinic of N synthetic patients on SQLite and prints
//! each figure beside its plaintext twin (the same code path with sealing and
//! keyed indexes switched off), as a ratio. Run it in release mode:
//! `cargo run --release -p cuspid-cli --features plaintext-twin --bin cuspid-bench -- --patients 100000`.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use clap::Parser;
use cuspid::patients::cnp::Cnp;
use cuspid::{Clinic, ClinicConfig, InitOptions, Location, NewPatient, PatientQuery, Result, Role, Session};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Synthetic DICOM files: the tests' own test data, mounted here for the X-ray figures.
#[path = "../../../tests/it/dicom.rs"]
mod dicom;

#[derive(Parser, Debug)]
#[command(about = "Cuspid benchmark: sealed vs plaintext twin, one process")]
struct Args {
    /// Patients in the bulk registration.
    #[arg(long, default_value_t = 100_000)]
    patients: usize,
    /// Samples for each latency figure.
    #[arg(long, default_value_t = 500)]
    samples: usize,
    /// Single registrations, one commit each.
    #[arg(long, default_value_t = 200)]
    singles: usize,
    /// Audit events the breach finder searches (synthetic, added after `audit verify`).
    #[arg(long, default_value_t = 1_000_000)]
    audit_events: usize,
    /// Only the clinical figures (chart, X-rays).
    #[arg(long)]
    clinical_only: bool,
}

const FIRST: [&str; 24] = [
    "Andrei",
    "Ana",
    "Ștefan",
    "Ioana",
    "Mihai",
    "Maria",
    "Alexandru",
    "Elena",
    "Gheorghe",
    "Cristina",
    "Ion",
    "Andreea",
    "Vasile",
    "Raluca",
    "Constantin",
    "Mirela",
    "Florin",
    "Daniela",
    "Bogdan",
    "Roxana",
    "Radu",
    "Simona",
    "Tudor",
    "Irina",
];
const LAST: [&str; 24] = [
    "Popescu",
    "Ionescu",
    "Popa",
    "Radu",
    "Dumitru",
    "Stan",
    "Stoica",
    "Gheorghe",
    "Matei",
    "Ciobanu",
    "Ene",
    "Țăranu",
    "Constantin",
    "Mihai",
    "Rusu",
    "Lungu",
    "Bărbulescu",
    "Munteanu",
    "Cristea",
    "Florea",
    "Dinu",
    "Vlăduțescu",
    "Nistor",
    "Șerban",
];

fn synthetic(rng: &mut StdRng, n: usize) -> NewPatient {
    let first = FIRST[rng.gen_range(0..FIRST.len())];
    let last = LAST[rng.gen_range(0..LAST.len())];
    let s = [1u32, 2, 5, 6][rng.gen_range(0..4)];
    // Adults only: an import links no guardians, so it refuses patients under 16.
    let yy = if s >= 5 { rng.gen_range(0..9) } else { rng.gen_range(30..100) };
    let mm = rng.gen_range(1..=12);
    // County, day and serial number together make every CNP unique (n < 1,288,000).
    let k = n / 1000;
    let (county, dd) = (1 + k % 46, 1 + (k / 46) % 28);
    let first12 = format!("{s}{yy:02}{mm:02}{dd:02}{county:02}{:03}", n % 1000);
    let cnp = format!("{first12}{}", Cnp::control_digit(&first12).unwrap());
    NewPatient {
        first_name: first.into(),
        last_name: last.into(),
        cnp: Some(cnp),
        phone: Some(format!("07{:08}", 20_000_000 + n)),
        email: Some(format!("p{n}@example.ro")),
        address: Some(format!("Strada Exemplu {}, Iași", n % 300)),
        ..Default::default()
    }
}

struct Twin {
    clinic: Clinic,
    session: Session,
    dentist: Session,
    /// The clock the clinic checks TOTP codes against: each sign-in with a code moves
    /// it one step on (a code works once).
    clock: std::sync::Arc<std::sync::atomic::AtomicU64>,
    _dir: tempfile::TempDir,
}

/// The benchmark's administrator and DPO authenticator secret.
const BENCH_TOTP: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn bench_code(clock: &std::sync::atomic::AtomicU64) -> String {
    let at = clock.fetch_add(30, std::sync::atomic::Ordering::SeqCst) + 30;
    let secret = data_encoding::BASE32_NOPAD.decode(BENCH_TOTP.as_bytes()).unwrap();
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 0, 30, secret, None, "bench".into()).unwrap().generate(at)
}

impl Twin {
    /// Sign in with the password and a code; an administrator or DPO enrols first.
    async fn sign_in(&self, user: &str, password: &str) -> Result<Session> {
        sign_in(&self.clinic, &self.clock, user, password).await
    }
}

async fn sign_in(
    c: &Clinic,
    clock: &std::sync::atomic::AtomicU64,
    user: &str,
    password: &str,
) -> Result<Session> {
    let s = c.login_with_code(user, password, Some(&bench_code(clock))).await?;
    if s.mfa_pending() {
        c.begin_totp_with_secret(&s, BENCH_TOTP).await?;
        c.confirm_totp(&s, &bench_code(clock)).await?;
    }
    Ok(s)
}

async fn twin(sealing: bool) -> Result<Twin> {
    let dir = tempfile::tempdir().map_err(|e| cuspid::Error::Io(e.to_string()))?;
    let mut config = ClinicConfig::new(Location::DataDir(dir.path().join("data")));
    config.state_dir = Some(dir.path().join("state"));
    config.workstation = Some("bench".into());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let clock = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(now));
    config.totp_clock = Some(clock.clone());
    let clinic = Clinic::open(config).await?;
    let options = InitOptions { sealing_off_for_benchmark: !sealing };
    let profile = cuspid::ClinicProfile {
        name: "Bench".into(),
        address: "Str. Benchmark 1, Cluj-Napoca".into(),
        fiscal_code: "14399840".into(),
        registry_number: None,
        operating_permit: None,
        phone: None,
        email: None,
        dpo: cuspid::DpoContact {
            name: "Bench DPO".into(),
            email: Some("dpo@bench.example".into()),
            phone: None,
        },
    };
    clinic.init_with(profile, "admin", "bench-admin-password", options).await?;
    let admin = sign_in(&clinic, &clock, "admin", "bench-admin-password").await?;
    clinic.admin().add_staff(&admin, "recep", Role::Receptionist, "bench-recep-password").await?;
    clinic.admin().add_staff(&admin, "dpo", Role::Dpo, "bench-dpo-password").await?;
    clinic.admin().add_staff(&admin, "dentist", Role::Dentist, "bench-dentist-password").await?;
    let session = clinic.login("recep", "bench-recep-password").await?;
    let dentist = clinic.login("dentist", "bench-dentist-password").await?;
    Ok(Twin { clinic, session, dentist, clock, _dir: dir })
}

/// Best of three whole `audit verify` runs (each also writes its own audit event).
async fn best_verify(clinic: &Clinic, s: &Session) -> Result<(cuspid::VerifyReport, Duration)> {
    let mut best = None::<(cuspid::VerifyReport, Duration)>;
    for _ in 0..3 {
        let t = Instant::now();
        let report = clinic.verify_audit(s).await?;
        let took = t.elapsed();
        if best.as_ref().is_none_or(|(_, b)| took < *b) {
            best = Some((report, took));
        }
    }
    best.ok_or_else(|| cuspid::Error::Internal("no verification ran".into()))
}

/// Cost of the two primitives every registration pays several times.
fn primitives() -> (f64, f64) {
    use cuspid::crypto::{BlindIndexer, FieldAddr, FieldCipher, IndexKind, SecretKey};
    let cipher = FieldCipher::new(&SecretKey::random(), 1);
    let addr = FieldAddr::new("patient", "address", uuid::Uuid::now_v7());
    let value = [b'x'; 48];
    let rounds = 200_000u32;
    let t = Instant::now();
    let mut total = 0usize;
    for _ in 0..rounds {
        total += cipher.seal_bytes(addr, &value).len();
    }
    let seal = t.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
    let indexer = BlindIndexer::new(&SecretKey::random());
    let t = Instant::now();
    let mut acc = 0i64;
    for i in 0..rounds {
        acc ^= indexer.index(IndexKind::Phone, if i % 2 == 0 { "+40721234567" } else { "+40744100200" });
    }
    let index = t.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
    std::hint::black_box((total, acc));
    (seal, index)
}

async fn singles_mean(tw: &Twin, list: Vec<NewPatient>) -> Duration {
    let count = list.len().max(1) as u32;
    let t = Instant::now();
    for p in list {
        tw.clinic.patients().register_patient(&tw.session, p).await.unwrap();
    }
    t.elapsed() / count
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

struct Latency {
    p50: Duration,
    p95: Duration,
}

async fn latency<F, Fut>(samples: usize, mut f: F) -> Latency
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let t = Instant::now();
        f(i).await;
        times.push(t.elapsed());
    }
    times.sort();
    Latency { p50: pct(&times, 0.5), p95: pct(&times, 0.95) }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, sealed: Duration, plain: Duration, target: &str) {
    println!(
        "| {name} | {} | {} | {:.2}x | {target} |",
        ms(sealed),
        ms(plain),
        sealed.as_secs_f64() / plain.as_secs_f64().max(1e-9)
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    cuspid::logging::init_stderr();
    let args = Args::parse();
    if !cuspid::clinic::PLAINTEXT_TWIN {
        return Err(cuspid::Error::Usage(
            "the benchmark compares against a plaintext twin: run it as `cargo run --release -p cuspid-cli --features plaintext-twin --bin cuspid-bench`".into(),
        ));
    }
    let n = args.patients;
    let mut rng = StdRng::seed_from_u64(7);
    let people: Vec<NewPatient> = (0..n).map(|i| synthetic(&mut rng, i)).collect();

    println!("cuspid-bench: {n} patients, {} samples per latency figure\n", args.samples);
    println!("| figure | sealed | plaintext twin | ratio | target |");
    println!("| --- | --- | --- | --- | --- |");

    let sealed = twin(true).await?;
    let plain = twin(false).await?;
    if args.clinical_only {
        return clinical(&sealed, &plain, args.samples.min(50)).await;
    }

    // Unlock: Argon2id m=64 MiB, t=3, p=4 (the twin pays the same).
    let t = Instant::now();
    sealed.clinic.login("recep", "bench-recep-password").await?;
    let unlock = t.elapsed();

    // Bulk registration: one transaction, one audit event per patient.
    let t = Instant::now();
    sealed.clinic.patients().import_patients(&sealed.session, people.clone()).await?;
    let bulk_sealed = t.elapsed();
    let t = Instant::now();
    plain.clinic.patients().import_patients(&plain.session, people.clone()).await?;
    let bulk_plain = t.elapsed();
    row(&format!("bulk registration of {n}"), bulk_sealed, bulk_plain, "< 3x and < 2 s");

    // Single registrations, one commit each (synchronous=FULL).
    let singles: Vec<NewPatient> = (0..args.singles).map(|i| synthetic(&mut rng, n + i)).collect();
    let single_sealed = singles_mean(&sealed, singles.clone()).await;
    let single_plain = singles_mean(&plain, singles).await;
    row("single registration (mean, own commit)", single_sealed, single_plain, "< 1.25x");

    // Ids to open: found through the CNP index of each twin.
    let picks: Vec<usize> = (0..args.samples).map(|i| (i * 7919) % n).collect();
    let mut ids = [Vec::new(), Vec::new()];
    for (k, tw) in [&sealed, &plain].into_iter().enumerate() {
        for &i in &picks {
            let q = PatientQuery::Cnp(people[i].cnp.clone().unwrap());
            ids[k].push(tw.clinic.patients().find_patients(&tw.session, &q).await?[0].id);
        }
    }

    let mut results = Vec::new();
    for (k, tw) in [&sealed, &plain].into_iter().enumerate() {
        let (c, s) = (&tw.clinic, &tw.session);
        let open = latency(args.samples, |i| {
            let id = ids[k][i];
            async move {
                c.patients().get_patient(s, id).await.unwrap();
            }
        })
        .await;
        let mut finds = Vec::new();
        for make in [
            (|p: &NewPatient| PatientQuery::Cnp(p.cnp.clone().unwrap())) as fn(&NewPatient) -> PatientQuery,
            |p| PatientQuery::Phone(p.phone.clone().unwrap()),
            |p| PatientQuery::Email(p.email.clone().unwrap().to_uppercase()),
        ] {
            let l = latency(args.samples, |i| {
                let q = make(&people[picks[i]]);
                async move {
                    assert_eq!(c.patients().find_patients(s, &q).await.unwrap().len(), 1);
                }
            })
            .await;
            finds.push(l);
        }
        let prefix = latency(args.samples, |i| {
            let p = &people[picks[i]];
            let name = if i % 2 == 0 { &p.last_name } else { &p.first_name };
            let len = 3 + i % 4;
            let q = PatientQuery::Name(name.chars().take(len).collect());
            async move {
                assert!(!c.patients().find_patients(s, &q).await.unwrap().is_empty());
            }
        })
        .await;
        results.push((open, finds, prefix));
    }
    let (so, sf, sp) = &results[0];
    let (po, pf, pp) = &results[1];
    row("open patient p50 (read + decrypt + audit)", so.p50, po.p50, "");
    row("open patient p95", so.p95, po.p95, "");
    for (k, name) in ["CNP", "phone", "e-mail"].iter().enumerate() {
        row(&format!("find by {name} p50"), sf[k].p50, pf[k].p50, "");
        row(&format!("find by {name} p95"), sf[k].p95, pf[k].p95, "< 5 ms");
    }
    row("find by name prefix p50 (3-6 letters, up to 50 hits)", sp.p50, pp.p50, "");
    row("find by name prefix p95", sp.p95, pp.p95, "< 30 ms");

    // Audit verify: the sealed clinic's whole chain.
    let admin = sealed.sign_in("admin", "bench-admin-password").await?;
    let (report, verify) = best_verify(&sealed.clinic, &admin).await?;
    let padmin = plain.sign_in("admin", "bench-admin-password").await?;
    let (_, pverify) = best_verify(&plain.clinic, &padmin).await?;
    row(&format!("audit verify ({} events)", report.events), verify, pverify, "");
    let (seal_us, index_us) = primitives();
    println!(
        "\nseal one 48-byte field (XChaCha20-Poly1305, fresh nonce): {seal_us:.3} us\n\
         blind index of one value (HMAC-SHA256, precomputed key state): {index_us:.3} us"
    );
    println!(
        "\naudit verify: {:.0} events/s (target >= 1,000,000)\nunlock (Argon2id m=64 MiB, t=3, p=4, login included): {}",
        report.events as f64 / verify.as_secs_f64(),
        ms(unlock)
    );

    println!("\n| GDPR office | sealed | plaintext twin | ratio | target |");
    println!("| --- | --- | --- | --- | --- |");
    let mut gdpr = Vec::new();
    let subject = synthetic(&mut rng, n + args.singles + 1);
    for tw in [&sealed, &plain] {
        gdpr.push(gdpr_figures(tw, subject.clone(), args.audit_events).await?);
    }
    let (s, p) = (&gdpr[0], &gdpr[1]);
    row(
        &format!("export of a patient with {} records (5 formats + letter)", s.records),
        s.export,
        p.export,
        "< 2 s",
    );
    row("letter PDF p50 (extension letter)", s.letter.p50, p.letter.p50, "");
    row("letter PDF p95", s.letter.p95, p.letter.p95, "< 100 ms");
    row(
        &format!("breach finder: one staff account, one day, over {} audit events", s.events),
        s.finder_staff,
        p.finder_staff,
        "< 1 s",
    );
    row("breach finder: one workstation, one day", s.finder_ws, p.finder_ws, "< 1 s");
    clinical(&sealed, &plain, args.samples.min(50)).await
}

/// A gray 16-bit DICOM of `width` x `height` (12 bits stored, a textured gradient).
fn xray_file(width: u16, height: u16) -> Result<Vec<u8>> {
    let samples: Vec<u16> = (0..u32::from(width) * u32::from(height))
        .map(|i| ((i % u32::from(width)) * 3 + (i / u32::from(width)) + (i * 7919) % 97) as u16 & 0x0fff)
        .collect();
    dicom::SyntheticDicom {
        width,
        height,
        bits: 16,
        monochrome1: false,
        samples: &samples,
        patient_name: "Bench^Patient",
        patient_id: "0",
        window: (2048.0, 4096.0),
        spacing_mm: 0.05,
    }
    .to_bytes()
    .map_err(cuspid::Error::Internal)
}

/// Ten years of a patient's chart (4 visits a year, 5 entries a visit, half of them
/// following an earlier one, a note and a medical history a year).
async fn ten_years(tw: &Twin, subject: NewPatient) -> Result<uuid::Uuid> {
    use cuspid::clinical::chart::{Condition, Finding, NewChartEntry, ProcedureState, Surface};
    let (c, d) = (&tw.clinic, &tw.dentist);
    let p = c.patients().register_patient(&tw.session, subject).await?;
    let teeth = [16u8, 26, 36, 46, 14, 24, 34, 44, 11, 21];
    for year in 0..10 {
        for visit in 0..4 {
            let date = format!("{}-{:02}-10", 2015 + year, 1 + visit * 3);
            let mut planned = None;
            for k in 0..5usize {
                let tooth =
                    teeth[(year as usize * 4 + visit as usize + if k == 3 { 1 } else { k }) % teeth.len()];
                let finding = if k % 2 == 0 {
                    Finding::Condition { condition: Condition::Caries, resolved: false }
                } else {
                    let state =
                        if planned.is_some() { ProcedureState::Done } else { ProcedureState::Planned };
                    Finding::Procedure { code: "restoration.composite".into(), state }
                };
                let supersedes = if k % 2 == 1 { planned.take() } else { None };
                let entry = NewChartEntry {
                    tooth,
                    surfaces: vec![Surface::Occlusal],
                    finding,
                    date: date.clone(),
                    note: Some("bench".into()),
                    supersedes: supersedes.filter(|_: &uuid::Uuid| k == 3),
                };
                let saved = c.clinical().chart_add(d, p.id, entry).await?;
                if k == 1 {
                    planned = Some(saved.id);
                }
            }
            let note = cuspid::clinical::notes::NewNote {
                date,
                text: "Control periodic, igienizare.".into(),
                template: None,
                amends: None,
                reason: None,
            };
            c.clinical().add_note(d, p.id, note).await?;
        }
    }
    Ok(p.id)
}

/// The clinical figures: a ten-year chart loaded, 50 X-rays of 3000x2000 16-bit
/// imported, a 6 MB X-ray opened for the viewer.
async fn clinical(sealed: &Twin, plain: &Twin, samples: usize) -> Result<()> {
    let mut rng = StdRng::seed_from_u64(23);
    let subject = synthetic(&mut rng, 9_000_001);
    let big = xray_file(3000, 2000)?;
    let six_mb = xray_file(2048, 1536)?;
    let mut figures = Vec::new();
    for tw in [sealed, plain] {
        let (c, d) = (&tw.clinic, &tw.dentist);
        let id = ten_years(tw, subject.clone()).await?;
        let chart = latency(samples, |_| async move {
            assert!(c.clinical().chart(d, id, None).await.unwrap().history.len() == 200);
        })
        .await;
        let notes = latency(samples, |_| async move {
            assert!(c.clinical().notes(d, id).await.unwrap().len() == 40);
        })
        .await;
        let new = || cuspid::clinical::imaging::NewXray {
            kind: cuspid::clinical::imaging::XrayKind::Periapical,
            date: "2025-03-01".into(),
            teeth: vec![36],
            note: None,
        };
        let t = Instant::now();
        for _ in 0..50 {
            c.clinical().import_xray(d, id, &big, new()).await?;
        }
        let import = t.elapsed();
        let x = c.clinical().import_xray(d, id, &six_mb, new()).await?;
        let open = latency(samples.min(20), |_| async move {
            assert!(!c.clinical().open_xray(d, id, x.id, 0).await.unwrap().pixels.is_empty());
        })
        .await;
        figures.push((chart, notes, import, open));
    }
    let (s, p) = (&figures[0], &figures[1]);
    row("chart of 10 years (200 entries) p50", s.0.p50, p.0.p50, "");
    row("chart of 10 years (200 entries) p95", s.0.p95, p.0.p95, "< 100 ms");
    row("clinical notes of 10 years (40) p95", s.1.p95, p.1.p95, "");
    row(
        &format!("import of 50 X-rays 3000x2000 16-bit DICOM ({:.1} MB each)", big.len() as f64 / 1e6),
        s.2,
        p.2,
        "",
    );
    row(
        &format!("open a {:.1} MB X-ray for the viewer p50", six_mb.len() as f64 / 1e6),
        s.3.p50,
        p.3.p50,
        "",
    );
    row("open the same X-ray p95", s.3.p95, p.3.p95, "< 150 ms");
    Ok(())
}

struct GdprFigures {
    records: u64,
    export: Duration,
    letter: Latency,
    events: i64,
    finder_staff: Duration,
    finder_ws: Duration,
}

/// A patient with ten years of history (about 500 records: 250 corrections, 250
/// consent records, their request), exported; the extension letter timed; then
/// `audit_events` synthetic events appended over a year and the breach finder run.
async fn gdpr_figures(tw: &Twin, subject: NewPatient, audit_events: usize) -> Result<GdprFigures> {
    use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod};
    let (c, recep) = (&tw.clinic, &tw.session);
    let dpo = tw.sign_in("dpo", "bench-dpo-password").await?;
    let mut p = c.patients().register_patient(recep, subject).await?;
    for i in 0..250 {
        let changes = cuspid::PatientChanges {
            address: Some(format!("Strada Exemplu {i}, Iași")),
            ..Default::default()
        };
        p = c.patients().update_patient(recep, p.id, p.version, changes, "mutare").await?;
        let consent = ConsentInput {
            kind: ConsentKind::Marketing,
            granted: i % 2 == 0,
            method: ConsentMethod::Checkbox,
            text_shown: "Sunt de acord să primesc oferte.".into(),
            given_by: None,
        };
        c.patients().record_consent(recep, p.id, consent).await?;
    }
    let today = chrono::Local::now().date_naive().to_string();
    let request = cuspid::gdpr::requests::NewRequest {
        patient_id: p.id,
        kind: cuspid::gdpr::requests::RequestKind::Access,
        received_on: today,
        via_guardian: None,
        identity_check: "buletin".into(),
    };
    let r = c.gdpr().register_request(&dpo, request).await?;
    c.gdpr().extend_request(&dpo, r.id, 2, "volum mare de date").await?;
    let out = tempfile::tempdir().map_err(|e| cuspid::Error::Io(e.to_string()))?;
    let opts = cuspid::gdpr::export::ExportOptions {
        dir: out.path().to_path_buf(),
        encryption: cuspid::gdpr::export::ExportEncryption::None,
        keep_image_metadata: false,
        lang: Some(cuspid::documents::Language::Ro),
        request_id: Some(r.id),
    };
    let t = Instant::now();
    let report = c.gdpr().export_patient(&dpo, p.id, opts).await?;
    let export = t.elapsed();
    let letter = latency(50, |_| {
        let dpo = &dpo;
        async move {
            c.gdpr().request_extension_letter(dpo, r.id, cuspid::documents::Language::Ro).await.unwrap();
        }
    })
    .await;

    // A year of synthetic events over the clinic's patients, 20 staff, 5 workstations.
    let file = tw._dir.path().join("data").join("cuspid.sqlite");
    let mut conn = rusqlite::Connection::open(&file).map_err(|e| cuspid::Error::Internal(e.to_string()))?;
    let ids: Vec<rusqlite::types::Value> = {
        let mut st =
            conn.prepare("SELECT id FROM patient").map_err(|e| cuspid::Error::Internal(e.to_string()))?;
        st.query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| cuspid::Error::Internal(e.to_string()))?
    };
    let year_us: i64 = 365 * 86_400 * 1_000_000;
    let start = chrono::Utc::now().timestamp_micros() - year_us;
    let tx = conn.transaction().map_err(|e| cuspid::Error::Internal(e.to_string()))?;
    {
        let mut st = tx
            .prepare(
                "INSERT INTO audit_event (seq, at, actor_id, actor, role, workstation, action, entity_type, \
                 entity_id, subject_id, purpose, outcome, prev_hash, hash) \
                 VALUES (?1, ?2, NULL, ?3, 'receptionist', ?4, 'patient.read', 'patient', NULL, ?5, '', 'success', x'00', x'00')",
            )
            .map_err(|e| cuspid::Error::Internal(e.to_string()))?;
        let base: i64 = 1_000_000_000;
        let mut rng = StdRng::seed_from_u64(11);
        for i in 0..audit_events {
            let at = start + rng.gen_range(0..year_us);
            let subject = &ids[rng.gen_range(0..ids.len())];
            st.execute(rusqlite::params![
                base + i as i64,
                at,
                format!("staff{}", i % 20),
                format!("ws{}", i % 5),
                subject
            ])
            .map_err(|e| cuspid::Error::Internal(e.to_string()))?;
        }
    }
    tx.commit().map_err(|e| cuspid::Error::Internal(e.to_string()))?;
    let events: i64 = conn
        .query_row("SELECT COUNT(*) FROM audit_event", [], |r| r.get(0))
        .map_err(|e| cuspid::Error::Internal(e.to_string()))?;
    drop(conn);

    let b = c
        .gdpr()
        .open_breach(
            &dpo,
            cuspid::gdpr::breaches::NewBreach {
                discovered_at: chrono::Utc::now().to_rfc3339(),
                occurred_from: None,
                occurred_to: None,
                nature: vec!["confidentiality".into()],
                description: "bench".into(),
                data_categories: "bench".into(),
                consequences: "bench".into(),
                measures_taken: "bench".into(),
                measures_proposed: "bench".into(),
                risk: cuspid::gdpr::breaches::Risk::Risk,
            },
        )
        .await?;
    let day = |d: i64| (chrono::Utc::now() - chrono::Duration::days(d)).to_rfc3339();
    let t = Instant::now();
    let scope = cuspid::gdpr::breaches::AffectedScope::Staff {
        username: "staff7".into(),
        from: day(101),
        to: day(100),
    };
    c.gdpr().find_affected(&dpo, b.id, scope).await?;
    let finder_staff = t.elapsed();
    let t = Instant::now();
    let scope = cuspid::gdpr::breaches::AffectedScope::Workstation {
        name: "ws3".into(),
        from: day(201),
        to: day(200),
    };
    c.gdpr().find_affected(&dpo, b.id, scope).await?;
    let finder_ws = t.elapsed();
    Ok(GdprFigures { records: report.records, export, letter, events, finder_staff, finder_ws })
}
