"""Helpers for the operator suites (issue 14 §2): a test CA and server certificate, a strict parser of
the Prometheus text exposition format, and the configuration of a node with TLS and metrics."""

from __future__ import annotations

import datetime
import ipaddress
import re
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from keyturn_e2e import free_port

# One account (key ids borrowed from configs/e2e.yaml: an id encodes its account), one user whose identity policy allows iam:GetUser but denies everything over plain
# HTTP (`aws:SecureTransport` false), the usual "HTTPS only" guard.
ACCOUNT = "111111111111"
USER_KEY = ("AKIARTXV5AHDVIISEM2E", "OpsTlsSecret/0000000000000000000000000000")
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/tls-user"
CONFIG = {
    "accounts": [
        {
            "id": ACCOUNT,
            "users": [
                {
                    "name": "tls-user",
                    "access_keys": [{"id": USER_KEY[0], "secret": USER_KEY[1]}],
                    "inline_policies": {
                        "https-only": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {"Effect": "Allow", "Action": ["iam:GetUser", "sts:AssumeRole"], "Resource": "*"},
                                {
                                    "Effect": "Deny",
                                    "Action": "*",
                                    "Resource": "*",
                                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                                },
                            ],
                        }
                    },
                }
            ],
        }
    ]
}

# The same user without the HTTPS-only guard (for the suites on plain HTTP).
ALLOW_CONFIG = {
    "accounts": [
        {
            "id": ACCOUNT,
            "users": [
                dict(
                    CONFIG["accounts"][0]["users"][0],
                    inline_policies={
                        "reads": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}],
                        }
                    },
                )
            ],
        }
    ]
}


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_pki(directory: Path, cn: str = "Keyturn test CA") -> dict[str, Path]:
    """A CA and a server certificate it signs for 127.0.0.1 and localhost, as PEM files in
    `directory`: `ca` (the bundle a client trusts), `cert` (the server's chain) and `key`."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"ca": directory / "ca.pem", "cert": directory / "cert.pem", "key": directory / "key.pem"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(
        cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    )
    paths["key"].write_bytes(_pem_key(key))
    return paths


def tls_server_section(pki: dict[str, Path], metrics: bool = True) -> tuple[dict, int, int | None]:
    """`server` settings for HTTPS with a plain loopback listener (and a metrics listener): the
    section, the plain HTTP port and the metrics port."""
    http_port = free_port()
    section = {"tls": {"cert": str(pki["cert"]), "key": str(pki["key"]), "http_listen": f"127.0.0.1:{http_port}"}}
    metrics_port = None
    if metrics:
        metrics_port = free_port()
        section["metrics"] = {"listen": f"127.0.0.1:{metrics_port}"}
    return section, http_port, metrics_port


# --- The Prometheus text exposition format (0.0.4), parsed strictly.

_METRIC = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
_TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_prometheus(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample of `text` as {(name, sorted labels): value}. Fails on anything the format does
    not allow: a sample before its family's TYPE, a TYPE given twice, a malformed label set or value,
    a duplicate sample, a histogram whose buckets are not cumulative or lack `+Inf` = `_count`."""
    assert text.endswith("\n"), "the exposition must end with a line feed"
    types: dict[str, str] = {}
    samples: dict[tuple[str, tuple], float] = {}
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("# HELP "):
            assert len(line.split(" ", 3)) == 4, f"line {n}: {line!r}"
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in _TYPES, f"line {n}: {line!r}"
            assert name not in types, f"line {n}: TYPE of {name} twice"
            types[name] = kind
            continue
        assert not line.startswith("#") and line, f"line {n}: {line!r}"
        m = _METRIC.match(line)
        assert m, f"line {n}: not a sample: {line!r}"
        name, _, labels_text, value = m.groups()
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"line {n}: {name} has no TYPE before it"
        labels = []
        if labels_text:
            pos = 0
            while pos < len(labels_text):
                lm = _LABEL.match(labels_text, pos)
                assert lm, f"line {n}: bad labels {labels_text!r}"
                labels.append((lm.group(1), lm.group(2)))
                pos = lm.end()
        v = float(value)  # raises on a malformed value; "+Inf"/"NaN" are floats too
        key = (name, tuple(sorted(labels)))
        assert key not in samples, f"line {n}: duplicate sample {key}"
        samples[key] = v
    for family, kind in types.items():
        if kind != "histogram":
            continue
        series: dict[tuple, list[tuple[float, float]]] = {}
        for (name, labels), v in samples.items():
            if name == family + "_bucket":
                rest = tuple(l for l in labels if l[0] != "le")
                le = dict(labels)["le"]
                series.setdefault(rest, []).append((float(le), v))
        for rest, buckets in series.items():
            buckets.sort()
            counts = [c for _, c in buckets]
            assert counts == sorted(counts), f"{family}{rest}: buckets not cumulative"
            assert buckets[-1][0] == float("inf"), f"{family}{rest}: no +Inf bucket"
            assert samples[(family + "_count", rest)] == buckets[-1][1], f"{family}{rest}: _count != +Inf"
            assert (family + "_sum", rest) in samples, f"{family}{rest}: no _sum"
    return samples


def sample(samples: dict, name: str, **labels) -> float:
    """The value of `name{labels}` (0 when the series is absent: counters start at zero)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)
