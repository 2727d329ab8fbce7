/* Verifies requests from the AWS SigV4 test suite (get-vanilla, header and presigned) with the
 * suite's AKIDEXAMPLE key and clock, then authorizes them; checks errors and the API's edges.
 * Usage: sigv4_suite VECTORS_DIR KEYRING_PATH */
#include "support.h"

static const char *CONFIG =
    "keyring: %s\n"
    "store: {memory: true}\n"
    "server: {region: us-east-1}\n"
    "accounts:\n"
    "  - id: \"123456789012\"\n"
    "    users:\n"
    "      - name: example\n"
    "        inline_policies:\n"
    "          things:\n"
    "            Version: \"2012-10-17\"\n"
    "            Statement:\n"
    "              - Sid: ReadThings\n"
    "                Effect: Allow\n"
    "                Action: service:GetThing\n"
    "                Resource: \"arn:aws:service:us-east-1:123456789012:thing/*\"\n"
    "              - Sid: NeverDelete\n"
    "                Effect: Deny\n"
    "                Action: service:DeleteThing\n"
    "                Resource: \"*\"\n"
    "                Condition: {StringNotEquals: {\"service:Mode\": \"maintenance\"}}\n";

static const int64_t SUITE_TIME = 1440938160; /* 2015-08-30T12:36:00Z */

static kt_caller *verify_file(kt_engine *engine, const char *dir, const char *name,
                              kt_status expected) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len = 0;
    char *raw = read_file(path, &len);
    parsed_request req;
    CHECK(parse_request(raw, len, &req) == 0);
    kt_caller *caller = NULL;
    CHECK_STATUS(kt_engine_verify_request(engine, "service", &req.request, &caller), expected);
    free(raw);
    return caller;
}

static void check_decision(kt_engine *engine, const kt_caller *caller, const char *action,
                           const char *context, bool allowed, const char *outcome) {
    kt_decision *d = NULL;
    CHECK_STATUS(kt_engine_authorize(engine, caller, action,
                                     "arn:aws:service:us-east-1:123456789012:thing/t1", context, &d),
                 KT_STATUS_OK);
    if (d == NULL) {
        return;
    }
    bool got = !allowed;
    const char *o = NULL;
    const char *encoded = NULL;
    size_t reasons = 0, statements = 0;
    CHECK_STATUS(kt_decision_allowed(d, &got), KT_STATUS_OK);
    CHECK_STATUS(kt_decision_outcome(d, &o), KT_STATUS_OK);
    CHECK_STATUS(kt_decision_encoded_message(d, &encoded), KT_STATUS_OK);
    CHECK_STATUS(kt_decision_reasons_len(d, &reasons), KT_STATUS_OK);
    CHECK_STATUS(kt_decision_statements_len(d, &statements), KT_STATUS_OK);
    CHECK(got == allowed);
    CHECK(o != NULL && strcmp(o, outcome) == 0);
    CHECK(allowed ? encoded == NULL : (encoded != NULL && strlen(encoded) > 20));
    printf("%s -> %s (%zu statements, %zu reasons)\n", action, o ? o : "?", statements, reasons);
    for (size_t i = 0; i < reasons; i++) {
        const char *r = NULL;
        CHECK_STATUS(kt_decision_reason(d, i, &r), KT_STATUS_OK);
        printf("  reason: %s\n", r ? r : "?");
    }
    /* An explicit deny names its statement (an Allow is decided on the fast path, which does
     * not collect statements). */
    if (strcmp(outcome, "ExplicitDeny") == 0) {
        CHECK(statements >= 1);
        const char *policy = NULL, *sid = NULL;
        bool allow = !allowed;
        CHECK_STATUS(kt_decision_statement(d, 0, &policy, &sid, &allow), KT_STATUS_OK);
        CHECK(allow == allowed);
        CHECK(sid != NULL && strcmp(sid, allowed ? "ReadThings" : "NeverDelete") == 0);
    }
    const char *r = NULL;
    CHECK_STATUS(kt_decision_reason(d, reasons, &r), KT_STATUS_INVALID_ARGUMENT);
    kt_decision_free(d);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s VECTORS_DIR KEYRING_PATH\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];

    const char *version = NULL;
    CHECK_STATUS(kt_version(&version), KT_STATUS_OK);
    CHECK(version != NULL && strcmp(version, KEYTURN_VERSION) == 0);

    char config[4096];
    snprintf(config, sizeof config, CONFIG, argv[2]);
    kt_engine_options options = {0};
    options.use_fixed_time = true;
    options.fixed_unix_time = SUITE_TIME;
    kt_engine *engine = NULL;
    CHECK_STATUS(kt_engine_from_config_string(config, strlen(config), &options, &engine),
                 KT_STATUS_OK);
    if (engine == NULL) {
        return 1;
    }
    CHECK_STATUS(kt_engine_import_access_key(engine, "example", "AKIDEXAMPLE",
                                             "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                 KT_STATUS_OK);

    /* The suite's header-signed and presigned get-vanilla. */
    kt_caller *caller = verify_file(engine, dir, "header-signed-request.txt", KT_STATUS_OK);
    kt_caller *presigned = verify_file(engine, dir, "query-signed-request.txt", KT_STATUS_OK);
    CHECK(caller != NULL && presigned != NULL);
    if (caller != NULL) {
        const char *arn = NULL, *account = NULL, *user_id = NULL, *key = NULL;
        CHECK_STATUS(kt_caller_arn(caller, &arn), KT_STATUS_OK);
        CHECK_STATUS(kt_caller_account(caller, &account), KT_STATUS_OK);
        CHECK_STATUS(kt_caller_user_id(caller, &user_id), KT_STATUS_OK);
        CHECK_STATUS(kt_caller_access_key_id(caller, &key), KT_STATUS_OK);
        CHECK(arn && strcmp(arn, "arn:aws:iam::123456789012:user/example") == 0);
        CHECK(account && strcmp(account, "123456789012") == 0);
        CHECK(user_id && strncmp(user_id, "AIDA", 4) == 0);
        CHECK(key && strcmp(key, "AKIDEXAMPLE") == 0);
        printf("verified: %s (%s)\n", arn ? arn : "?", user_id ? user_id : "?");

        check_decision(engine, caller, "service:GetThing", NULL, true, "Allow");
        check_decision(engine, caller, "service:DeleteThing", "{}", false, "ExplicitDeny");
        check_decision(engine, caller, "service:DeleteThing", "{\"service:Mode\": \"maintenance\"}",
                       false, "ImplicitDeny");
        check_decision(engine, caller, "service:PutThing", NULL, false, "ImplicitDeny");
        kt_decision *d = NULL;
        CHECK_STATUS(kt_engine_authorize(engine, caller, "service:GetThing", "*", "[1]", &d),
                     KT_STATUS_INVALID_PARAMETER_VALUE);
        CHECK(d == NULL);
    }
    kt_caller_free(caller);
    kt_caller_free(presigned);

    /* A tampered request: the signature no longer matches; the message is AWS's. */
    {
        size_t len = 0;
        char path[1024];
        snprintf(path, sizeof path, "%s/header-signed-request.txt", dir);
        char *raw = read_file(path, &len);
        parsed_request req;
        CHECK(parse_request(raw, len, &req) == 0);
        req.request.path = "/other";
        req.request.path_len = 6;
        kt_caller *c = NULL;
        CHECK_STATUS(kt_engine_verify_request(engine, "service", &req.request, &c),
                     KT_STATUS_SIGNATURE_DOES_NOT_MATCH);
        CHECK(c == NULL);
        char msg[1024];
        size_t n = 0;
        CHECK_STATUS(kt_last_error_message(msg, sizeof msg, &n), KT_STATUS_OK);
        CHECK(strstr(msg, "signature we calculated does not match") != NULL);
        char small[8];
        CHECK_STATUS(kt_last_error_message(small, sizeof small, &n), KT_STATUS_BUFFER_TOO_SMALL);
        CHECK(n > sizeof small && small[7] == '\0');
        const char *code = NULL;
        CHECK_STATUS(kt_status_aws_code(KT_STATUS_SIGNATURE_DOES_NOT_MATCH, &code), KT_STATUS_OK);
        CHECK(code != NULL && strcmp(code, "SignatureDoesNotMatch") == 0);
        CHECK_STATUS(kt_status_aws_code(KT_STATUS_NULL_PARAMETER, &code), KT_STATUS_OK);
        CHECK(code == NULL);
        /* Signed for another service: the scope does not match. */
        CHECK_STATUS(kt_engine_verify_request(engine, "s3", &req.request, &c), KT_STATUS_SIGNATURE_DOES_NOT_MATCH);
        free(raw);
    }

    /* An hour later the request is too old; an unknown key is InvalidClientTokenId. */
    CHECK_STATUS(kt_engine_set_time(engine, SUITE_TIME + 3600), KT_STATUS_OK);
    kt_caller *late = verify_file(engine, dir, "header-signed-request.txt", KT_STATUS_SIGNATURE_DOES_NOT_MATCH);
    CHECK(late == NULL);
    CHECK_STATUS(kt_engine_set_time(engine, SUITE_TIME), KT_STATUS_OK);
    {
        kt_header headers[3] = {
            {"Host", 4, (const uint8_t *)"example.amazonaws.com", 21},
            {"X-Amz-Date", 10, (const uint8_t *)"20150830T123600Z", 16},
            {"Authorization", 13,
             (const uint8_t *)"AWS4-HMAC-SHA256 Credential=AKIAUNKNOWNUNKNOWN000/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
             0}};
        headers[2].value_len = strlen((const char *)headers[2].value);
        kt_request req = {0};
        req.method = "GET";
        req.method_len = 3;
        req.path = "/";
        req.path_len = 1;
        req.headers = headers;
        req.headers_len = 3;
        kt_caller *c = NULL;
        CHECK_STATUS(kt_engine_verify_request(engine, "service", &req, &c), KT_STATUS_INVALID_CLIENT_TOKEN_ID);
        req.headers_len = 2;
        CHECK_STATUS(kt_engine_verify_request(engine, "service", &req, &c), KT_STATUS_MISSING_AUTHENTICATION_TOKEN);
        req.path = "\xff";
        CHECK_STATUS(kt_engine_verify_request(engine, "service", &req, &c), KT_STATUS_INVALID_UTF8);
        CHECK_STATUS(kt_engine_verify_request(engine, "service", NULL, &c), KT_STATUS_NULL_PARAMETER);
        CHECK(c == NULL);
    }

    /* Configuration errors name the problem. */
    {
        kt_engine *bad = NULL;
        const char *text = "accounts:\n  - id: \"12\"\n";
        CHECK_STATUS(kt_engine_from_config_string(text, strlen(text), NULL, &bad), KT_STATUS_CONFIG_ERROR);
        CHECK(bad == NULL);
        char msg[512];
        size_t n = 0;
        kt_last_error_message(msg, sizeof msg, &n);
        CHECK(n > 0);
        printf("config error: %s\n", msg);
        CHECK_STATUS(kt_engine_from_config_path("/nonexistent/keyturn.yaml", NULL, &bad), KT_STATUS_CONFIG_ERROR);
        CHECK_STATUS(kt_engine_credentials(engine, "nobody", NULL), KT_STATUS_NO_SUCH_ENTITY);
    }

    kt_engine_free(engine);
    kt_engine_free(NULL);
    if (failures > 0) {
        fprintf(stderr, "sigv4_suite: %d check(s) failed\n", failures);
        return 1;
    }
    printf("sigv4_suite: all checks passed\n");
    return 0;
}
