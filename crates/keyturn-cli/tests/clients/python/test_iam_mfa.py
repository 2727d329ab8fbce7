"""Virtual MFA devices, instance profiles and service-linked roles through boto3, on a fresh
server per module (the shared server's world stays as configs/e2e.yaml has it).

The development account (222222222222) has root keys (`root`) and the user bob (keys `bob`,
no MFA device, no IAM permissions).
"""

from __future__ import annotations

import base64
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from keyturn_e2e import DEV, KEYS, REGION, client, expect_error, expect_iam_error, succeeds_once, totp


# ---------------------------------------------------------------------------------------------
# A PNG reader (grayscale or RGB, 8-bit), enough to look at the QR code's modules.


def read_png(data: bytes) -> tuple[int, int, list[bytearray]]:
    """(width, height, rows of gray values) of an 8-bit non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0, header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytearray(line[::channels]))
        prev = line
    return width, height, rows


def qr_modules(png: bytes) -> list[list[bool]]:
    """The QR code's module matrix (True = dark), read from the image."""
    width, height, rows = read_png(png)
    assert width == height
    dark = [[v < 128 for v in row] for row in rows]
    top = next(y for y in range(height) if any(dark[y]))
    left = dark[top].index(True)
    # The top-left finder pattern's outer ring is 7 modules wide.
    run = next(i for i in range(left, width) if not dark[top][i]) - left
    assert run % 7 == 0, run
    scale = run // 7
    size = (width - 2 * left) // scale
    assert 21 <= size <= 177 and (size - 17) % 4 == 0, size
    return [[dark[top + y * scale + scale // 2][left + x * scale + scale // 2] for x in range(size)] for y in range(size)]


def finder_at(m: list[list[bool]], x0: int, y0: int) -> bool:
    """Whether the 7x7 block at (x0, y0) is a finder pattern (ring, gap, 3x3 centre)."""
    for y in range(7):
        for x in range(7):
            ring = x in (0, 6) or y in (0, 6)
            centre = 2 <= x <= 4 and 2 <= y <= 4
            if m[y0 + y][x0 + x] != (ring or centre):
                return False
    return True


def decode_qr(png: bytes) -> str | None:
    """The QR code's text when a decoder is installed (zxing-cpp), else None."""
    try:
        import zxingcpp  # noqa: PLC0415
    except ImportError:
        return None
    width, height, rows = read_png(png)
    image = memoryview(b"".join(bytes(r) for r in rows)).cast("B", (height, width))
    found = zxingcpp.read_barcodes(image)
    return found[0].text if found else None


# ---------------------------------------------------------------------------------------------
# Virtual MFA devices.


def test_create_virtual_mfa_device_answers_a_seed_and_a_real_qr_code(admin):
    made = admin.create_virtual_mfa_device(
        VirtualMFADeviceName="qr-check", Path="/team/", Tags=[{"Key": "k", "Value": "v"}]
    )["VirtualMFADevice"]
    assert made["SerialNumber"] == f"arn:aws:iam::{DEV}:mfa/team/qr-check"
    assert made["Tags"] == [{"Key": "k", "Value": "v"}]
    # Both are blobs: boto3 has taken the base64 off. The seed is base32 text, 160 bits.
    seed = made["Base32StringSeed"].decode("ascii")
    assert re.fullmatch(r"[A-Z2-7]{32}", seed), seed
    assert len(base64.b32decode(seed)) == 20
    png = made["QRCodePNG"]
    modules = qr_modules(png)
    size = len(modules)
    # Finder patterns in three corners: a QR code, not just any image.
    assert finder_at(modules, 0, 0) and finder_at(modules, size - 7, 0) and finder_at(modules, 0, size - 7)
    assert not finder_at(modules, size - 7, size - 7)
    text = decode_qr(png)
    if text is not None:
        assert text == f"otpauth://totp/qr-check@development?secret={seed}"
    other = admin.create_virtual_mfa_device(VirtualMFADeviceName="qr-check-2")["VirtualMFADevice"]
    assert other["Base32StringSeed"] != made["Base32StringSeed"]
    expect_iam_error(
        lambda: admin.create_virtual_mfa_device(VirtualMFADeviceName="QR-CHECK"),
        "EntityAlreadyExists",
        "MFADevice entity at the same path and name already exists.",
    )
    listed = admin.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    serials = [d["SerialNumber"] for d in listed]
    assert made["SerialNumber"] in serials and other["SerialNumber"] in serials
    assert all("Base32StringSeed" not in d and "User" not in d for d in listed)
    for d in (made, other):
        admin.delete_virtual_mfa_device(SerialNumber=d["SerialNumber"])


def test_enabled_device_gives_bob_an_mfa_session_once_per_code(fresh, admin):
    made = admin.create_virtual_mfa_device(VirtualMFADeviceName="bob-phone")["VirtualMFADevice"]
    serial, seed = made["SerialNumber"], made["Base32StringSeed"].decode("ascii")
    now = time.time()
    if 30 - now % 30 < 3:  # keep the whole test within one 30-second step
        time.sleep(3.5)
        now = time.time()
    expect_error(
        lambda: admin.enable_mfa_device(
            UserName="bob", SerialNumber=serial, AuthenticationCode1="000000", AuthenticationCode2="000001"
        ),
        "InvalidAuthenticationCode",
        "Authentication code for device is not valid.",
        403,
    )
    # Two consecutive codes from a minute ago: the current step's code stays unused.
    admin.enable_mfa_device(
        UserName="bob",
        SerialNumber=serial,
        AuthenticationCode1=totp(seed, now - 60),
        AuthenticationCode2=totp(seed, now - 30),
    )
    devices = admin.list_mfa_devices(UserName="bob")["MFADevices"]
    assert [(d["UserName"], d["SerialNumber"]) for d in devices] == [("bob", serial)]
    assigned = admin.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    mine = [d for d in assigned if d["SerialNumber"] == serial]
    assert mine and mine[0]["User"]["UserName"] == "bob" and "EnableDate" in mine[0]
    expect_error(
        lambda: admin.enable_mfa_device(
            UserName="alice", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321"
        ),
        "EntityAlreadyExists",
        "MFA Device is already in use.",
        409,
    )

    sts = client("sts", fresh.endpoint, KEYS["bob"])
    code = totp(seed, now)
    creds = sts.get_session_token(SerialNumber=serial, TokenCode=code)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    # A replayed code is refused.
    expect_error(lambda: sts.get_session_token(SerialNumber=serial, TokenCode=code), "AccessDenied", None, 403)

    expect_iam_error(
        lambda: admin.delete_virtual_mfa_device(SerialNumber=serial),
        "DeleteConflict",
        "MFA Device is still in use.",
    )
    admin.deactivate_mfa_device(UserName="bob", SerialNumber=serial)
    assert admin.list_mfa_devices(UserName="bob")["MFADevices"] == []
    expect_error(
        lambda: sts.get_session_token(SerialNumber=serial, TokenCode=totp(seed, time.time() + 30)),
        "AccessDenied",
        None,
        403,
    )
    succeeds_once(
        lambda: admin.delete_virtual_mfa_device(SerialNumber=serial),
        "NoSuchEntity",
        f"VirtualMFADevice with serial number {serial} doesn't exist.",
    )


def test_aws_cli_writes_the_qr_code_and_the_seed_files(fresh, admin, tmp_path):
    """`aws iam create-virtual-mfa-device --outfile F --bootstrap-method ...` decodes the blobs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=str(tmp_path),
        AWS_ACCESS_KEY_ID=KEYS["root"][0],
        AWS_SECRET_ACCESS_KEY=KEYS["root"][1],
        AWS_ENDPOINT_URL=fresh.endpoint,
        AWS_DEFAULT_REGION=REGION,
        AWS_MAX_ATTEMPTS="1",
        AWS_PAGER="",
    )
    aws = Path(sys.executable).parent / "aws"
    for name, method in (("cli-png", "QRCodePNG"), ("cli-seed", "Base32StringSeed")):
        out = tmp_path / name
        subprocess.run(
            [str(aws), "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", name]
            + ["--outfile", str(out), "--bootstrap-method", method, "--output", "json"],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        data = out.read_bytes()
        if method == "QRCodePNG":
            assert len(qr_modules(data)) >= 21
        else:
            assert re.fullmatch(rb"[A-Z2-7]{32}", data), data
        admin.delete_virtual_mfa_device(SerialNumber=f"arn:aws:iam::{DEV}:mfa/{name}")


# ---------------------------------------------------------------------------------------------
# Instance profiles.

TRUST_EC2 = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'


def test_instance_profile_lifecycle(admin):
    made = admin.create_instance_profile(InstanceProfileName="web", Path="/app/")["InstanceProfile"]
    assert made["Arn"] == f"arn:aws:iam::{DEV}:instance-profile/app/web"
    assert made["InstanceProfileId"].startswith("AIPA")
    assert made["Roles"] == []
    expect_iam_error(
        lambda: admin.create_instance_profile(InstanceProfileName="WEB"),
        "EntityAlreadyExists",
        "Instance Profile WEB already exists.",
    )
    expect_iam_error(
        lambda: admin.get_instance_profile(InstanceProfileName="nope"),
        "NoSuchEntity",
        "Instance Profile nope cannot be found.",
    )
    expect_iam_error(
        lambda: admin.add_role_to_instance_profile(InstanceProfileName="web", RoleName="NoSuchRole"),
        "NoSuchEntity",
        "The role with name NoSuchRole cannot be found.",
    )
    # A role for it: a service-linked one, whose trust policy IAM writes with one-element lists.
    role = admin.create_service_linked_role(AWSServiceName="ec2fleet.amazonaws.com")["Role"]
    succeeds_once(
        lambda: admin.add_role_to_instance_profile(InstanceProfileName="web", RoleName=role["RoleName"]),
        "LimitExceeded",
        "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
    )
    got = admin.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    assert [r["RoleName"] for r in got["Roles"]] == [role["RoleName"]]
    assert got["Roles"][0]["RoleId"] == role["RoleId"]
    assert got["Roles"][0]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": ["ec2fleet.amazonaws.com"]
    }
    by_role = admin.list_instance_profiles_for_role(RoleName=role["RoleName"])["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in by_role] == ["web"]
    admin.create_instance_profile(InstanceProfileName="batch")
    assert [p["InstanceProfileName"] for p in admin.list_instance_profiles(PathPrefix="/app/")["InstanceProfiles"]] == [
        "web"
    ]
    page = admin.list_instance_profiles(MaxItems=1)
    assert page["IsTruncated"] and len(page["InstanceProfiles"]) == 1
    rest = admin.list_instance_profiles(Marker=page["Marker"])
    assert [p["InstanceProfileName"] for p in page["InstanceProfiles"] + rest["InstanceProfiles"]] == ["batch", "web"]

    admin.tag_instance_profile(InstanceProfileName="web", Tags=[{"Key": "env", "Value": "prod"}, {"Key": "a", "Value": "1"}])
    admin.untag_instance_profile(InstanceProfileName="web", TagKeys=["A"])
    assert admin.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == [{"Key": "env", "Value": "prod"}]

    expect_iam_error(
        lambda: admin.delete_instance_profile(InstanceProfileName="web"),
        "DeleteConflict",
        "Cannot delete entity, must remove roles from instance profile first.",
    )
    admin.remove_role_from_instance_profile(InstanceProfileName="web", RoleName=role["RoleName"])
    admin.delete_instance_profile(InstanceProfileName="web")
    expect_iam_error(lambda: admin.get_instance_profile(InstanceProfileName="web"), "NoSuchEntity", None)


def test_a_user_without_iam_permissions_is_denied_on_the_profile_arn(fresh):
    bob = client("iam", fresh.endpoint, KEYS["bob"])
    response = expect_error(lambda: bob.create_instance_profile(InstanceProfileName="x"), "AccessDenied", None, 403)
    assert f"arn:aws:iam::{DEV}:instance-profile/x" in response["Error"]["Message"]


# ---------------------------------------------------------------------------------------------
# Service-linked roles.


def test_service_linked_role_created_listed_and_deleted_with_a_task(admin):
    role = admin.create_service_linked_role(
        AWSServiceName="elasticbeanstalk.amazonaws.com", Description="beanstalk"
    )["Role"]
    name = "AWSServiceRoleForElasticBeanstalk"
    assert role["RoleName"] == name
    assert role["Path"] == "/aws-service-role/elasticbeanstalk.amazonaws.com/"
    assert role["Arn"] == f"arn:aws:iam::{DEV}:role/aws-service-role/elasticbeanstalk.amazonaws.com/{name}"
    assert role["Description"] == "beanstalk"
    listed = admin.list_roles(PathPrefix="/aws-service-role/")["Roles"]
    assert name in [r["RoleName"] for r in listed]
    expect_iam_error(
        lambda: admin.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com"),
        "InvalidInput",
        f"Service role name {name} has been taken in this account, please try a different suffix.",
    )
    suffixed = admin.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com", CustomSuffix="b")
    assert suffixed["Role"]["RoleName"] == f"{name}_b"
    expect_iam_error(lambda: admin.create_service_linked_role(AWSServiceName="not-a-service"), "InvalidInput", None)

    task = admin.delete_service_linked_role(RoleName=name)["DeletionTaskId"]
    assert re.fullmatch(
        rf"task/aws-service-role/elasticbeanstalk\.amazonaws\.com/{name}/[0-9a-f-]{{36}}", task
    ), task
    assert admin.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"
    expect_iam_error(lambda: admin.get_role(RoleName=name), "NoSuchEntity", None)
    expect_iam_error(
        lambda: admin.get_service_linked_role_deletion_status(DeletionTaskId="task/bogus"), "InvalidInput", None
    )
    unknown = task[:-36] + "00000000-0000-4000-8000-000000000000"
    expect_iam_error(
        lambda: admin.get_service_linked_role_deletion_status(DeletionTaskId=unknown),
        "NoSuchEntity",
        None,
    )
