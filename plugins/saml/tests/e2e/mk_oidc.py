# Makes an RSA key, its JWKS (jwks.json) and a fresh ID token (token.jwt) with PyJWT.
import json, time, base64, subprocess, jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pub = json.loads(RSAAlgorithm.to_jwk(k.public_key())); pub["kid"]="e2e"
json.dump({"keys":[pub]}, open("jwks.json","w"))
now=int(time.time())
tok = jwt.encode({"iss":"https://idp.e2e.example","sub":"user-42","aud":"client-e2e","iat":now,"exp":now+600,
  "https://aws.amazon.com/tags":{"principal_tags":{"team":["blue"]},"transitive_tag_keys":["team"]}}, k, algorithm="RS256", headers={"kid":"e2e"})
open("token.jwt","w").write(tok)
