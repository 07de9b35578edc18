//! A token's claims, one row each (`<tr data-claim=NAME>`).

use cognito_jwt::UnverifiedToken;
use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn ClaimsTable(
    token: UnverifiedToken,
    testid: &'static str,
    caption: &'static str,
) -> impl IntoView {
    let rows = token
        .claims()
        .iter()
        .map(|(name, value)| {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            view! {
                <tr data-claim=name.clone()>
                    <th scope="row"><code>{name.clone()}</code></th>
                    <td>{shown}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table data-testid=testid>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Claim"</th><th scope="col">"Value"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
