//! A token's verification report: every check, pass or fail, and why;
//! `data-status` is `pending` while the checks run.

use cognito_jwt::{CheckOutcome, Report};
use leptos::prelude::*;

#[component]
pub fn VerificationReport(report: Signal<Option<Report>>, testid: &'static str) -> impl IntoView {
    // `with`, not `get`: the status is read four times per change, and a
    // report is a list of checks with their texts.
    let status = move || {
        report.with(|report| match report {
            None => "pending",
            Some(r) if r.is_valid() => "valid",
            Some(_) => "invalid",
        })
    };
    let badge = move || match status() {
        "valid" => "badge ok",
        "invalid" => "badge bad",
        _ => "badge",
    };
    let rows = move || {
        report.with(|report| {
            let report = report.as_ref()?;
            Some(
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
                    .collect_view(),
            )
        })
    };
    view! {
        <div class="table-wrap report" data-testid=testid data-status=status aria-busy=move || (status() == "pending").to_string()>
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
