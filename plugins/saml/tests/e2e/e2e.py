# boto3 against the running endpoint: both federation actions, GetCallerIdentity, a tampered token.
import boto3, os
ep = "http://127.0.0.1:18787"
sts = boto3.client("sts", endpoint_url=ep, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
r = sts.assume_role_with_web_identity(RoleArn="arn:aws:iam::123456789012:role/WebRole", RoleSessionName="s1", WebIdentityToken=open("token.jwt").read())
print("OIDC:", r["AssumedRoleUser"]["Arn"], r.get("SubjectFromWebIdentityToken"), r.get("Provider"), r.get("Audience"))
c = r["Credentials"]
me = boto3.client("sts", endpoint_url=ep, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"]).get_caller_identity()
print("  caller:", me["Arn"])
r = sts.assume_role_with_saml(RoleArn="arn:aws:iam::123456789012:role/SamlRole", PrincipalArn="arn:aws:iam::123456789012:saml-provider/Corp", SAMLAssertion=open("saml.b64").read())
print("SAML:", r["AssumedRoleUser"]["Arn"], r.get("Subject"), r.get("SubjectType"), r.get("Issuer"), r.get("NameQualifier"), r.get("SourceIdentity"))
try:
    sts.assume_role_with_web_identity(RoleArn="arn:aws:iam::123456789012:role/WebRole", RoleSessionName="s1", WebIdentityToken=open("token.jwt").read()[:-4] + "AAAA")
except Exception as e: print("tampered:", e)
