//! The seed's SDK test path with this stack's values, printed at startup
//! (and so by `cargo xtask demo`): boto3 admin_initiate_auth then GET /book
//! with requests and curl, and the AWS CLI's initiate-auth. The password
//! is never printed: the commands read it from `$DEVSTACK_PASSWORD`.

pub fn recipe(
    pool_id: &str,
    client_id: &str,
    hosted_ui_url: &str,
    api_url: &str,
    user: &str,
) -> String {
    let region = pool_id.split('_').next().unwrap_or("us-east-1");
    format!(
        r#"  SDK recipe (export DEVSTACK_PASSWORD=<{user}'s password from the seed file> first;
  any AWS credentials work, the admin calls' SigV4 signatures are not checked):
    export AWS_ACCESS_KEY_ID=devstack AWS_SECRET_ACCESS_KEY=devstack AWS_DEFAULT_REGION={region}
    python3 - <<'PY'
import os, boto3, requests
idp = boto3.client("cognito-idp", endpoint_url="{hosted_ui_url}")
auth = idp.admin_initiate_auth(UserPoolId="{pool_id}", ClientId="{client_id}",
    AuthFlow="ADMIN_USER_PASSWORD_AUTH",
    AuthParameters={{"USERNAME": "{user}", "PASSWORD": os.environ["DEVSTACK_PASSWORD"]}})
token = auth["AuthenticationResult"]["IdToken"]
print(requests.get("{api_url}/book", headers={{"Authorization": f"Bearer {{token}}"}}).json())
PY
    TOKEN=$(aws cognito-idp initiate-auth --endpoint-url {hosted_ui_url} \
      --auth-flow USER_PASSWORD_AUTH --client-id {client_id} \
      --auth-parameters "USERNAME={user},PASSWORD=$DEVSTACK_PASSWORD" \
      --query AuthenticationResult.IdToken --output text)
    curl -H "Authorization: Bearer $TOKEN" {api_url}/book
"#
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn uses_the_stacks_values() {
        let r = super::recipe(
            "eu-west-1_X",
            "cid",
            "http://127.0.0.1:1",
            "http://127.0.0.1:2/prod",
            "demo",
        );
        assert!(r.contains("endpoint_url=\"http://127.0.0.1:1\""));
        assert!(r.contains("--endpoint-url http://127.0.0.1:1"));
        assert!(r.contains("curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:2/prod/book"));
        assert!(r.contains("AWS_DEFAULT_REGION=eu-west-1"));
        assert!(!r.contains("Passw0rd"));
    }
}
