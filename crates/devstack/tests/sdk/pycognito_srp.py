"""Real SRP with pycognito: the right password signs in (and pycognito
verifies the tokens against this stack's JWKS and issuer), a wrong one is
refused with NotAuthorizedException."""
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP

from common import (CLIENT_ID, ENDPOINT, PASSWORD, POOL_ID, USERNAME, client,
                    expect_error, fail)

kwargs = {
    "endpoint_url": ENDPOINT,
    "aws_access_key_id": "AKIDEXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}
user = Cognito(POOL_ID, CLIENT_ID, username=USERNAME, boto3_client_kwargs=dict(kwargs))
user.authenticate(password=PASSWORD)
if user.id_claims["cognito:username"] != USERNAME:
    fail(f"id token for {user.id_claims['cognito:username']}")
if user.access_claims["scope"] != "aws.cognito.signin.user.admin":
    fail(f"access scope {user.access_claims['scope']}")
print(f"ok: pycognito authenticate as {USERNAME} (tokens verified)")

# The same exchange through AWSSRP directly, many times (random a, b).
for _ in range(10):
    tokens = AWSSRP(USERNAME, PASSWORD, POOL_ID, CLIENT_ID, client=client()).authenticate_user()
    if "IdToken" not in tokens["AuthenticationResult"]:
        fail("AWSSRP gave no tokens")
print("ok: 10 AWSSRP sign-ins")

wrong = Cognito(POOL_ID, CLIENT_ID, username=USERNAME, boto3_client_kwargs=dict(kwargs))
expect_error(lambda: wrong.authenticate(password=PASSWORD + "-wrong"),
             "NotAuthorizedException", "Incorrect username or password.")
print("pycognito: all checks passed")
