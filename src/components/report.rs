//! A token's verification report: every check, pass or fail, and why;
//! `data-status` is `pending` while the checks run. The time checks are
//! made again against the clock (see `auth::expect`), the rest is shown as
//! the verification made it.

use cognito_jwt::{CheckOutcome, Report, UnverifiedToken};
use leptos::prelude::*;

use crate::auth::expect::{recheck_times, times_pass};

#[component]
pub fn VerificationReport(
    report: RwSignal<Option<Report>>,
    token: UnverifiedToken,
    leeway: i64,
    now: ReadSignal<i64>,
    testid: &'static str,
) -> impl IntoView {
    // Redrawn when the time checks' verdict flips (an expiry), not on every
    // tick of the clock.
    let in_time = {
        let token = token.clone();
        Memo::new(move |_| times_pass(&token, leeway, now.get()))
    };
    let live = move || {
        in_time.track();
        report.with(|report| {
            report
                .as_ref()
                .map(|r| recheck_times(r, &token, leeway, now.get_untracked()))
        })
    };
    let status = {
        let live = live.clone();
        move || match live() {
            None => "pending",
            Some(r) if r.is_valid() => "valid",
            Some(_) => "invalid",
        }
    };
    let badge = {
        let status = status.clone();
        move || match status() {
            "valid" => "badge ok",
            "invalid" => "badge bad",
            _ => "badge",
        }
    };
    let status_attribute = status.clone();
    let busy = {
        let status = status.clone();
        move || (status() == "pending").to_string()
    };
    let rows = move || {
        live().map(|report| {
            report
                .checks
                .iter()
                .map(|check| {
                    let (word, class) = match &check.outcome {
                        CheckOutcome::Pass(_) => ("pass", "badge ok"),
                        CheckOutcome::Fail(_) => ("fail", "badge bad"),
                        CheckOutcome::Skipped(_) => ("skipped", "badge"),
                    };
                    view! {
                        <tr data-check=check.kind.word()>
                            <th scope="row">{check.kind.label()}</th>
                            <td><span class=class>{word}</span></td>
                            <td>{check.outcome.reason().to_owned()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="table-wrap report" data-testid=testid data-status=status_attribute aria-busy=busy>
            <p>
                "Verification: " <span class=badge role="status">{status}</span>
            </p>
            <table>
                <thead><tr><th scope="col">"Check"</th><th scope="col">"Result"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {move || rows().map(|r| r.into_any()).unwrap_or_else(|| view! {
                        <tr><td colspan="3" class="muted">"Checking the signature and the claims with the clock as it is now…"</td></tr>
                    }.into_any())}
                </tbody>
            </table>
        </div>
    }
}
