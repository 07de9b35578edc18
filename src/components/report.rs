//! A token's verification report: every check, pass or fail, and why.

use cognito_jwt::{CheckOutcome, Report};
use leptos::prelude::*;

#[component]
pub fn VerificationReport(report: Report, testid: &'static str) -> impl IntoView {
    let status = if report.is_valid() {
        "valid"
    } else {
        "invalid"
    };
    let rows = report
        .checks
        .iter()
        .map(|check| {
            let (badge, class) = match &check.outcome {
                CheckOutcome::Pass(_) => ("pass", "badge ok"),
                CheckOutcome::Fail(_) => ("fail", "badge bad"),
                CheckOutcome::Skipped(_) => ("skipped", "badge"),
            };
            view! {
                <tr data-check=check.kind.word()>
                    <th scope="row">{check.kind.label()}</th>
                    <td><span class=class>{badge}</span></td>
                    <td>{check.outcome.reason().to_owned()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" data-testid=testid data-status=status>
            <p>
                "Verification: "
                <span class=if report.is_valid() { "badge ok" } else { "badge bad" }>{status}</span>
            </p>
            <table>
                <thead><tr><th scope="col">"Check"</th><th scope="col">"Result"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
