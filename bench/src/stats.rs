//! Median, min and max of a series of measurements.

use serde_json::{json, Value};

pub struct Summary;

impl Summary {
    pub fn of(samples: &[f64]) -> Value {
        let mut sorted: Vec<f64> = samples
            .iter()
            .copied()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .collect();
        sorted.sort_by(|a, b| a.total_cmp(b));
        if sorted.is_empty() {
            return json!({"runs": 0});
        }
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        json!({
            "runs": n,
            "median": round(median),
            "min": round(sorted[0]),
            "max": round(sorted[n - 1]),
        })
    }
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_medians() {
        assert_eq!(Summary::of(&[3.0, 1.0, 2.0])["median"], json!(2.0));
        assert_eq!(Summary::of(&[4.0, 1.0, 2.0, 3.0])["median"], json!(2.5));
        assert_eq!(Summary::of(&[4.0, 1.0])["min"], json!(1.0));
    }

    #[test]
    fn failed_runs_are_left_out() {
        assert_eq!(Summary::of(&[-1.0, 5.0])["runs"], json!(1));
        assert_eq!(Summary::of(&[])["runs"], json!(0));
    }
}
