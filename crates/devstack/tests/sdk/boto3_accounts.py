"""boto3 through sign-up (code from the outbox), recovery, the admin
operations, ListUsers' Filter and Describe*, each with an error case."""
import uuid

import requests

from common import (CLIENT_ID, ENDPOINT, POOL_ID, client, expect_error, fail)

idp = client()
name = "py-" + uuid.uuid4().hex[:8]
email = f"{name}@example.com"


def code(username, kind):
    messages = requests.get(f"{ENDPOINT}/_devstack/outbox", timeout=10).json()["messages"]
    for m in reversed(messages):
        if m["username"] == username and m["kind"] == kind:
            return m["code"]
    fail(f"no {kind} code for {username}")


out = idp.sign_up(ClientId=CLIENT_ID, Username=name, Password="Py-passw0rd!",
                  UserAttributes=[{"Name": "email", "Value": email}])
if out["UserConfirmed"] or out["CodeDeliveryDetails"]["DeliveryMedium"] != "EMAIL":
    fail(f"sign_up: {out}")
expect_error(lambda: idp.sign_up(ClientId=CLIENT_ID, Username=name, Password="Py-passw0rd!"),
             "UsernameExistsException")
expect_error(lambda: idp.sign_up(ClientId=CLIENT_ID, Username=name + "x", Password="short"),
             "InvalidPasswordException")
expect_error(lambda: idp.confirm_sign_up(ClientId=CLIENT_ID, Username=name, ConfirmationCode="12345x"),
             "CodeMismatchException")
idp.resend_confirmation_code(ClientId=CLIENT_ID, Username=name)
idp.confirm_sign_up(ClientId=CLIENT_ID, Username=name, ConfirmationCode=code(name, "SIGN_UP"))
print("ok: sign_up → outbox → confirm_sign_up")

tokens = idp.initiate_auth(ClientId=CLIENT_ID, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": name, "PASSWORD": "Py-passw0rd!"})["AuthenticationResult"]
idp.change_password(AccessToken=tokens["AccessToken"], PreviousPassword="Py-passw0rd!",
                    ProposedPassword="Py-changed0rd!")
expect_error(lambda: idp.change_password(AccessToken=tokens["AccessToken"], PreviousPassword="nope",
                                         ProposedPassword="Py-changed0rd!"), "NotAuthorizedException")
idp.update_user_attributes(AccessToken=tokens["AccessToken"],
                           UserAttributes=[{"Name": "given_name", "Value": "Py"}])
idp.forgot_password(ClientId=CLIENT_ID, Username=name)
idp.confirm_forgot_password(ClientId=CLIENT_ID, Username=name, Password="Py-reset0rd!",
                            ConfirmationCode=code(name, "FORGOT_PASSWORD"))
idp.initiate_auth(ClientId=CLIENT_ID, AuthFlow="USER_PASSWORD_AUTH",
                  AuthParameters={"USERNAME": name, "PASSWORD": "Py-reset0rd!"})
print("ok: change_password, update_user_attributes, forgot/confirm_forgot_password")

# Admin operations (boto3 signs them with the dummy credentials).
admin = "adm-" + uuid.uuid4().hex[:8]
created = idp.admin_create_user(UserPoolId=POOL_ID, Username=admin, TemporaryPassword="Tmp-passw0rd!",
                                UserAttributes=[{"Name": "email", "Value": f"{admin}@example.com"}])
if created["User"]["UserStatus"] != "FORCE_CHANGE_PASSWORD" or not hasattr(created["User"]["UserCreateDate"], "year"):
    fail(f"admin_create_user: {created}")
expect_error(lambda: idp.admin_create_user(UserPoolId=POOL_ID, Username=admin), "UsernameExistsException")
challenge = idp.admin_initiate_auth(UserPoolId=POOL_ID, ClientId=CLIENT_ID, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": admin, "PASSWORD": "Tmp-passw0rd!"})
if challenge["ChallengeName"] != "NEW_PASSWORD_REQUIRED":
    fail(f"expected NEW_PASSWORD_REQUIRED: {challenge}")
done = idp.admin_respond_to_auth_challenge(
    UserPoolId=POOL_ID, ClientId=CLIENT_ID, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
    ChallengeResponses={"USERNAME": admin, "NEW_PASSWORD": "Final-passw0rd!"})
if "IdToken" not in done["AuthenticationResult"]:
    fail("no tokens after NEW_PASSWORD_REQUIRED")
print("ok: admin_create_user → NEW_PASSWORD_REQUIRED → tokens")

idp.admin_add_user_to_group(UserPoolId=POOL_ID, Username=admin, GroupName="readers")
groups = idp.admin_list_groups_for_user(UserPoolId=POOL_ID, Username=admin)["Groups"]
if [g["GroupName"] for g in groups] != ["readers"]:
    fail(f"groups: {groups}")
expect_error(lambda: idp.admin_add_user_to_group(UserPoolId=POOL_ID, Username=admin, GroupName="nope"),
             "ResourceNotFoundException")
idp.admin_remove_user_from_group(UserPoolId=POOL_ID, Username=admin, GroupName="readers")
idp.admin_update_user_attributes(UserPoolId=POOL_ID, Username=admin,
                                 UserAttributes=[{"Name": "email_verified", "Value": "true"}])
idp.admin_set_user_password(UserPoolId=POOL_ID, Username=admin, Password="Perm-passw0rd!", Permanent=True)
user = idp.admin_get_user(UserPoolId=POOL_ID, Username=admin)
if user["UserStatus"] != "CONFIRMED" or not user["Enabled"]:
    fail(f"admin_get_user: {user}")
found = idp.list_users(UserPoolId=POOL_ID, Filter=f'email = "{admin}@example.com"')["Users"]
if [u["Username"] for u in found] != [admin]:
    fail(f"list_users filter: {found}")
expect_error(lambda: idp.list_users(UserPoolId=POOL_ID, Filter="shoe_size = \"9\""), "InvalidParameterException")
pages = list(idp.get_paginator("list_users").paginate(UserPoolId=POOL_ID, PaginationConfig={"PageSize": 1}))
if len(pages) < 3:
    fail(f"pagination gave {len(pages)} pages")
print(f"ok: groups, attributes, set password, get user, list_users filter and {len(pages)} pages")

pool = idp.describe_user_pool(UserPoolId=POOL_ID)["UserPool"]
app = idp.describe_user_pool_client(UserPoolId=POOL_ID, ClientId=CLIENT_ID)["UserPoolClient"]
if pool["Id"] != POOL_ID or "ALLOW_USER_SRP_AUTH" not in app["ExplicitAuthFlows"]:
    fail("describe_*")
expect_error(lambda: idp.describe_user_pool(UserPoolId="us-east-1_Nope"), "ResourceNotFoundException")
idp.admin_delete_user(UserPoolId=POOL_ID, Username=admin)
expect_error(lambda: idp.admin_get_user(UserPoolId=POOL_ID, Username=admin), "UserNotFoundException",
             "User does not exist.")
print("boto3 accounts: all checks passed")
