//! Shared pieces of the two corpus harnesses: reading the corpus and summarising timings.

use std::path::{Path, PathBuf};

/// The corpus's messages, as (number, path of NNN.html), in number order.
pub fn corpus(dir: &Path, only: Option<&str>) -> Vec<(String, PathBuf)> {
    let wanted: Option<Vec<&str>> = only.map(|list| list.split(',').collect());
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != "html" {
                return None;
            }
            let number = path.file_stem()?.to_str()?.to_owned();
            match &wanted {
                Some(list) if !list.contains(&number.as_str()) => None,
                _ => Some((number, path)),
            }
        })
        .collect();
    found.sort();
    found
}

/// "median p90 max" of a set of durations in milliseconds.
pub fn summary(label: &str, values: &mut [f64]) -> String {
    if values.is_empty() {
        return format!("{label}: no values");
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    format!(
        "{label}: median {:.2} ms, p90 {:.2} ms, max {:.2} ms, total {:.0} ms over {}",
        at(0.5),
        at(0.9),
        values[values.len() - 1],
        values.iter().sum::<f64>(),
        values.len()
    )
}
