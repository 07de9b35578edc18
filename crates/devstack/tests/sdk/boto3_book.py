"""The seed's SDK recipe: boto3 admin_initiate_auth for a token, then
GET /book with it; plus the user-pool API's errors as boto3 raises them."""
import requests

from common import (API_URL, CLIENT_ID, PASSWORD, POOL_ID, USERNAME, client,
                    expect_error, fail)

idp = client()
auth = idp.admin_initiate_auth(
    UserPoolId=POOL_ID,
    ClientId=CLIENT_ID,
    AuthFlow="ADMIN_USER_PASSWORD_AUTH",
    AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD},
)
result = auth["AuthenticationResult"]
if result["TokenType"] != "Bearer" or result["ExpiresIn"] != 3600:
    fail(f"unexpected result shape: {sorted(result)}")
if not auth["ResponseMetadata"]["RequestId"]:
    fail("no request id")
id_token = result["IdToken"]

book = requests.get(f"{API_URL}/book", headers={"Authorization": f"Bearer {id_token}"}, timeout=10)
if book.status_code != 200:
    fail(f"/book answered {book.status_code}: {book.text}")
print(f"ok: /book 200 {book.json()['book']!r}")
unauth = requests.get(f"{API_URL}/book", timeout=10)
if unauth.status_code != 401:
    fail(f"/book without a token answered {unauth.status_code}")

# USER_PASSWORD_AUTH through the unsigned InitiateAuth, then GetUser.
auth = idp.initiate_auth(
    ClientId=CLIENT_ID,
    AuthFlow="USER_PASSWORD_AUTH",
    AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD},
)
access = auth["AuthenticationResult"]["AccessToken"]
refresh = auth["AuthenticationResult"]["RefreshToken"]
user = idp.get_user(AccessToken=access)
attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
if user["Username"] != USERNAME or "sub" not in attrs:
    fail(f"get_user: {user['Username']} {sorted(attrs)}")
print(f"ok: get_user {user['Username']} {attrs['email']}")

# The built-in app client rotates refresh tokens, as the deployed one does:
# REFRESH_TOKEN_AUTH is refused, GetTokensFromRefreshToken returns a new one.
expect_error(
    lambda: idp.initiate_auth(
        ClientId=CLIENT_ID, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh}
    ),
    "InvalidParameterException",
)
again = idp.get_tokens_from_refresh_token(ClientId=CLIENT_ID, RefreshToken=refresh)
rotated = again["AuthenticationResult"].get("RefreshToken")
if not rotated or rotated == refresh:
    fail("a rotating client's refresh must return a new refresh token")
refresh = rotated
print("ok: refresh with rotation")

expect_error(
    lambda: idp.initiate_auth(
        ClientId=CLIENT_ID,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD + "x"},
    ),
    "NotAuthorizedException",
    "Incorrect username or password.",
)
expect_error(
    lambda: idp.initiate_auth(
        ClientId=CLIENT_ID,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "no-such-user", "PASSWORD": PASSWORD},
    ),
    "UserNotFoundException",
    "User does not exist.",
)
expect_error(
    lambda: idp.initiate_auth(
        ClientId="unknown0client",
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD},
    ),
    "ResourceNotFoundException",
    "User pool client unknown0client does not exist.",
)
# boto3 maps the code to its modelled exception class.
try:
    idp.get_user(AccessToken="not-a-token")
    fail("get_user accepted garbage")
except idp.exceptions.NotAuthorizedException as e:
    print(f"ok: modelled exception {type(e).__name__}")

idp.global_sign_out(AccessToken=access)
expect_error(lambda: idp.get_user(AccessToken=access), "NotAuthorizedException",
             "Access Token has been revoked")
expect_error(
    lambda: idp.get_tokens_from_refresh_token(ClientId=CLIENT_ID, RefreshToken=refresh),
    "NotAuthorizedException",
    "Refresh Token has been revoked",
)
print("boto3: all checks passed")
