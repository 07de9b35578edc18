"""Shared setup for the SDK scripts: the stack's values come from the
environment the Rust test sets (ENDPOINT, API_URL, POOL_ID, CLIENT_ID,
USERNAME, PASSWORD)."""
import os
import sys

import boto3
from botocore.config import Config

ENDPOINT = os.environ["ENDPOINT"]
API_URL = os.environ["API_URL"]
POOL_ID = os.environ["POOL_ID"]
CLIENT_ID = os.environ["CLIENT_ID"]
USERNAME = os.environ["USERNAME"]
PASSWORD = os.environ["PASSWORD"]


def client():
    return boto3.client(
        "cognito-idp",
        endpoint_url=ENDPOINT,
        region_name=POOL_ID.split("_")[0],
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"max_attempts": 1}),
    )


def expect_error(fn, code, message=None):
    """Calls fn; it must raise the botocore ClientError `code` (and message)."""
    try:
        fn()
    except client().exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        msg = e.response["Error"]["Message"]
        if got != code or (message is not None and msg != message):
            fail(f"expected {code} {message!r}, got {got} {msg!r}")
        print(f"ok: {code}: {msg}")
        return e
    fail(f"expected {code}, but the call succeeded")


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)
