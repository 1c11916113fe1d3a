//! `tco-harness load rate-limit --shard I/N --start-at TIME`: this process's share of a run
//! that several machines offer together. It records its calls and judges nothing about the
//! limit (`load merge` does, on every shard's calls): exit 0 when it sent its share as
//! scheduled, 3 when it could not, 2 when it cannot run as asked.

use std::path::PathBuf;
use std::time::Duration;

use tco_scenarios::shard::{self, ShardSpec};
use tco_scenarios::{conformance, preconditions, Env, LoadError, Target};

use crate::error::{CliError, LOAD_NOT_OFFERED, SUCCESS};

/// How far ahead a start may be: shards wait for it, and a day is already a long wait.
pub const MAX_AHEAD: Duration = Duration::from_secs(24 * 3600);

/// `--shard I/N`, for clap.
pub fn parse_shard(s: &str) -> Result<ShardSpec, String> {
    ShardSpec::parse(s)
}

/// `--start-at`: an RFC 3339 time (e.g. `2026-12-02T01:30:00Z`) after `now_ms` and at most
/// [`MAX_AHEAD`] later, as Unix ms.
pub fn parse_start_at(s: &str, now_ms: i64) -> Result<i64, String> {
    use time::format_description::well_known::Rfc3339;
    let at = time::OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|e| {
        format!("--start-at {s:?} is not an RFC 3339 time such as 2026-12-02T01:30:00Z: {e}")
    })?;
    let at_ms = i64::try_from(at.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| format!("--start-at {s:?} is out of range"))?;
    if at_ms <= now_ms {
        return Err(format!(
            "--start-at {s} is in the past ({} s ago): give every shard the same time, a little ahead",
            (now_ms - at_ms).div_euclid(1000)
        ));
    }
    if at_ms - now_ms > MAX_AHEAD.as_millis() as i64 {
        return Err(format!(
            "--start-at {s} is more than 24 h ahead: give every shard the same time, a little ahead"
        ));
    }
    Ok(at_ms)
}

/// The shard's half of `load rate-limit` (`args` holds `rate-limit --shard`): the endpoint,
/// its checks, then the wait and the run.
pub fn run(args: super::LoadArgs) -> Result<(), CliError> {
    let Some(super::LoadCommand::RateLimit(a)) = args.command else {
        return Err(CliError::usage("--shard belongs to load rate-limit"));
    };
    let Some(spec) = a.shard else {
        return Err(CliError::usage("--shard I/N is missing"));
    };
    let report_dir = args
        .report_dir
        .unwrap_or_else(|| conformance::default_report_dir(&PathBuf::from("reports")));
    report(spec, run_inner(a, spec, report_dir)?)
}

fn run_inner(
    a: super::RateLimitArgs,
    spec: ShardSpec,
    report_dir: PathBuf,
) -> Result<shard::ShardRun, CliError> {
    let case = super::case(&a)?;
    if !(a.rate > 0.0 && a.rate <= 100_000.0) {
        return Err(CliError::usage(format!(
            "--rate {} must be above 0 and at most 100000",
            a.rate
        )));
    }
    let start_text = a.start_at.clone().unwrap_or_default();
    let start_at_ms =
        parse_start_at(&start_text, tco_scenarios::schedule::wall_ms()).map_err(CliError::usage)?;
    let Some(url) = a.endpoint.clone() else {
        return Err(CliError::usage(
            "--shard needs --endpoint: shards on their own in-process mocks would share no limit",
        ));
    };
    if a.allow_mutations {
        return Err(CliError::usage(
            "--allow-mutations with --shard: N shards would each set the endpoint up and tear it down; prepare it once before the start",
        ));
    }
    // The endpoint and the credentials as a single run takes them (--ca-cert, --profile).
    let target = Target::new(&url)
        .map_err(CliError::usage)?
        .with_root_certificates(a.connection.roots()?);
    conformance::check_production(&target, a.allow_production).map_err(super::usage)?;
    let connection = a.connection.clone();
    let creds = conformance::block_on(connection.credentials()).map_err(super::usage)??;
    let outcome = conformance::block_on(async move {
        let env = Env::new(target, creds).with_report_dir(Some(report_dir));
        let env = match a.timeout {
            Some(timeout) => env.with_call_timeout(timeout),
            None => env,
        };
        let needs = preconditions::check(&env, std::slice::from_ref(&case)).await?;
        // Shards share the endpoint: setting it up is one process's job, before the start.
        needs.ensure_allowed(false)?;
        let duration_ms = a.duration.as_millis() as u64;
        shard::run_shard(&env, &case, a.rate, duration_ms, spec, start_at_ms).await
    });
    outcome
        .map_err(super::usage)?
        .map_err(|e: LoadError| super::usage(e))
}

fn report(spec: ShardSpec, run: shard::ShardRun) -> Result<(), CliError> {
    if let Some(why) = &run.unreachable {
        return Err(CliError::failed(format!("{}: {why}", run.file.endpoint)));
    }
    let at = run
        .path
        .as_ref()
        .map(|p| format!(" in {}", p.display()))
        .unwrap_or_default();
    println!(
        "shard {spec}: {} of {} calls recorded{at}; not a verdict on the limit: judge every shard's directory with `tco-harness load merge DIR...`",
        run.file.calls.len(),
        run.file.planned_calls
    );
    for shortfall in &run.shortfalls {
        println!("LOAD NOT OFFERED shard {spec}: {shortfall}");
    }
    CliError::status(if run.shortfalls.is_empty() {
        SUCCESS
    } else {
        LOAD_NOT_OFFERED
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-02T01:30:00Z, computed by hand: 20789 days from 1970-01-01 to 2026-12-02
    // (56 years with 14 leap days = 20454, then Jan..Nov 2026 = 334, then 1 day), plus 5400 s.
    const AT: i64 = (20_789 * 86_400 + 5_400) * 1000;

    #[test]
    fn start_times_parse_as_rfc3339() {
        assert_eq!(parse_start_at("2026-12-02T01:30:00Z", AT - 60_000), Ok(AT));
        assert_eq!(
            parse_start_at("2026-12-02T09:30:00.250+08:00", AT - 60_000),
            Ok(AT + 250)
        );
    }

    #[test]
    fn start_times_in_the_past_too_far_ahead_or_malformed_are_refused() {
        let past = parse_start_at("2026-12-02T01:30:00Z", AT + 5_000).unwrap_err();
        assert!(past.contains("in the past (5 s ago)"), "{past}");
        let now = parse_start_at("2026-12-02T01:30:00Z", AT).unwrap_err();
        assert!(now.contains("in the past"), "{now}");
        let far = parse_start_at("2026-12-03T01:30:01Z", AT - 1000 + 1).unwrap_err();
        assert!(far.contains("more than 24 h ahead"), "{far}");
        assert!(parse_start_at("2026-12-03T01:29:59Z", AT).is_ok());
        for bad in ["01:30", "2026-12-02 01:30:00", "tomorrow", ""] {
            let e = parse_start_at(bad, AT).unwrap_err();
            assert!(e.contains("not an RFC 3339 time"), "{bad}: {e}");
        }
    }

    /// The manifest's shell line for one index, expanded as `sh` would for these variables
    /// (the only expansions it uses), then split into words as `sh` would.
    fn expand(script: &str, index: u64, vars: &[(String, String)]) -> Vec<String> {
        let mut line = script.replace("$((JOB_COMPLETION_INDEX + 1))", &(index + 1).to_string());
        for (name, value) in vars {
            line = line.replace(&format!("${name}"), value);
        }
        assert!(
            !line.contains('$'),
            "an expansion the test does not know: {line}"
        );
        let mut words = shlex::split(&line).expect("the shell line splits into words");
        assert_eq!(words.remove(0), "exec", "{line}");
        words
    }

    fn load_args(words: &[String]) -> super::super::LoadArgs {
        use clap::Parser;
        match crate::Cli::try_parse_from(words) {
            Ok(crate::Cli {
                command: crate::Command::Load(args),
            }) => args,
            Ok(other) => panic!("not a load command: {other:?}"),
            Err(e) => panic!("{words:?}: {e}"),
        }
    }

    #[test]
    fn the_kubernetes_manifest_runs_commands_the_cli_accepts() {
        use super::super::LoadCommand;
        use serde::Deserialize;
        use serde_json::Value;

        // Both steps, in the order they are applied.
        let mut docs: Vec<Value> = Vec::new();
        for file in ["rate-limit-shards.yaml", "rate-limit-merge.yaml"] {
            let path = format!("{}/deploy/k8s/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            docs.extend(
                serde_yaml_ng::Deserializer::from_str(&text)
                    .map(|d| Value::deserialize(d).unwrap()),
            );
        }
        let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["PersistentVolumeClaim", "Job", "Job"]);
        let claim = docs[0]["metadata"]["name"].as_str().unwrap();

        let shards = &docs[1]["spec"];
        assert_eq!(shards["completionMode"], "Indexed");
        let n = shards["completions"].as_u64().unwrap();
        assert_eq!(
            shards["parallelism"].as_u64(),
            Some(n),
            "every shard at once"
        );
        let pod = &shards["template"]["spec"];
        let container = &pod["containers"][0];
        let vars: Vec<(String, String)> = container["env"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let name = v["name"].as_str().unwrap().to_string();
                (name, v["value"].as_str().unwrap().to_string())
            })
            .collect();
        let command = container["command"].as_array().unwrap();
        assert_eq!(command[..2], [Value::from("sh"), Value::from("-c")]);
        let script = command[2].as_str().unwrap();
        let mut shard_dirs = Vec::new();
        for index in 0..n {
            let args = load_args(&expand(script, index, &vars));
            let dir = args
                .report_dir
                .clone()
                .expect("each shard its own report dir");
            let Some(LoadCommand::RateLimit(a)) = args.command else {
                panic!("not load rate-limit: {script}");
            };
            let spec = a.shard.expect("--shard");
            assert_eq!((spec.index as u64, spec.count as u64), (index + 1, n));
            assert!(a.endpoint.is_some(), "shards need an endpoint");
            // The example start parses (checked as if a minute before it).
            let start = a.start_at.as_deref().unwrap();
            let at =
                time::OffsetDateTime::parse(start, &time::format_description::well_known::Rfc3339)
                    .unwrap();
            let at_ms = (at.unix_timestamp_nanos() / 1_000_000) as i64;
            assert_eq!(parse_start_at(start, at_ms - 60_000), Ok(at_ms));
            shard_dirs.push(dir);
        }
        let distinct: std::collections::BTreeSet<_> = shard_dirs.iter().collect();
        assert_eq!(distinct.len(), n as usize, "{shard_dirs:?}");
        let mounts = |spec: &Value| {
            assert_eq!(
                spec["volumes"][0]["persistentVolumeClaim"]["claimName"],
                claim
            );
            spec["containers"][0]["volumeMounts"][0]["mountPath"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let shard_mount = mounts(pod);
        assert!(shard_dirs.iter().all(|d| d.starts_with(&shard_mount)));

        // The merge reads exactly the shards' directories, on the same volume.
        let merge = &docs[2]["spec"]["template"]["spec"];
        assert_eq!(mounts(merge), shard_mount);
        let words: Vec<String> = merge["containers"][0]["command"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .collect();
        let args = load_args(&words);
        let Some(LoadCommand::Merge(m)) = args.command else {
            panic!("not load merge: {words:?}");
        };
        assert_eq!(m.dirs, shard_dirs);
        assert!(!shard_dirs.contains(&args.report_dir.unwrap()));
    }
}
