#!/bin/sh
# End to end with boto3: AssumeRoleWithWebIdentity (then GetCallerIdentity with the credentials) and
# AssumeRoleWithSAML against `keyturn serve` with the two plugins loaded from the configuration.
#
# Needs: the built binaries (cargo build -p keyturn-cli -p keyturn-oidc -p keyturn-saml), python3 with boto3,
# PyJWT + cryptography (PYTHON, default python3), openssl and xmlsec1.
#   plugins/saml/tests/e2e/run.sh [target/debug]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=$(cd "${1:-${CARGO_TARGET_DIR:-$here/../../../../target}/debug}" && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=e2e-idp -keyout idp.key -out idp.crt 2>/dev/null
"$python" "$here/mk_oidc.py"
python3 "$here/mk_saml.py"
sed "s#TARGET#$target#g" "$here/config.yaml.in" > config.yaml
"$target/keyturn" serve --config config.yaml > serve.log 2>&1 &
server=$!
sleep 2
python3 "$here/e2e.py"
