/* A minimal S3-style HTTP handler that embeds Keyturn: it parses a raw HTTP request, verifies
 * its SigV4 signature and authorizes s3:GetObject on the object. It is fed a real request signed
 * by botocore (captured by scripts/capture_boto3_request.py with the seed's alice credentials),
 * with the engine's clock fixed at the capture's time. alice may not read the bucket; the role
 * UpdateApp may: the test assumes it and authorizes again as the role session.
 * Usage: http_handler CONFIG_YAML CAPTURE.http CAPTURE.time */
#include "support.h"

typedef struct {
    int status;
    char body[2048];
} response;

/* The handler: 200 with the caller's ARN, 403 with AWS's error code and message. */
static void handle(const kt_engine *engine, const char *raw, size_t len, response *out) {
    parsed_request req;
    if (parse_request(raw, len, &req) != 0) {
        out->status = 400;
        snprintf(out->body, sizeof out->body, "<Error><Code>MalformedRequest</Code></Error>");
        return;
    }
    kt_caller *caller = NULL;
    kt_status st = kt_engine_verify_request(engine, "s3", &req.request, &caller);
    if (st != KT_STATUS_OK) {
        const char *code = NULL;
        char msg[512];
        size_t n = 0;
        kt_status_aws_code(st, &code);
        kt_last_error_message(msg, sizeof msg, &n);
        out->status = 403;
        snprintf(out->body, sizeof out->body, "<Error><Code>%s</Code><Message>%s</Message></Error>",
                 code ? code : "InternalError", msg);
        return;
    }
    /* Virtual-hosted style: the bucket is the Host's first label. */
    char resource[512] = "arn:aws:s3:::";
    for (size_t i = 0; i < req.request.headers_len; i++) {
        const kt_header *h = &req.headers[i];
        if (h->name_len == 4 && strncmp(h->name, "Host", 4) == 0) {
            const char *dot = memchr(h->value, '.', h->value_len);
            size_t blen = dot ? (size_t)(dot - (const char *)h->value) : h->value_len;
            strncat(resource, (const char *)h->value, blen);
        }
    }
    strncat(resource, req.request.path, req.request.path_len);
    kt_decision *d = NULL;
    bool allowed = false;
    const char *arn = NULL;
    kt_caller_arn(caller, &arn);
    if (kt_engine_authorize(engine, caller, "s3:GetObject", resource, NULL, &d) == KT_STATUS_OK &&
        kt_decision_allowed(d, &allowed) == KT_STATUS_OK && allowed) {
        out->status = 200;
        snprintf(out->body, sizeof out->body, "object %s for %s", resource, arn);
    } else {
        const char *encoded = NULL;
        kt_decision_encoded_message(d, &encoded);
        out->status = 403;
        snprintf(out->body, sizeof out->body,
                 "<Error><Code>AccessDenied</Code><Message>User: %s is not authorized to perform: "
                 "s3:GetObject on resource: %s</Message><Encoded>%.64s</Encoded></Error>",
                 arn, resource, encoded ? encoded : "");
    }
    kt_decision_free(d);
    kt_caller_free(caller);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s CONFIG CAPTURE.http CAPTURE.time\n", argv[0]);
        return 2;
    }
    size_t len = 0, tlen = 0;
    char *raw = read_file(argv[2], &len);
    char *time_text = read_file(argv[3], &tlen);
    kt_engine_options options = {0};
    options.use_fixed_time = true;
    options.fixed_unix_time = strtoll(time_text, NULL, 10);
    free(time_text);

    kt_engine *engine = NULL;
    CHECK_STATUS(kt_engine_from_config_path(argv[1], &options, &engine), KT_STATUS_OK);
    if (engine == NULL) {
        return 1;
    }

    /* alice's own request: authenticated, but alice may not read production's bucket. */
    response r;
    handle(engine, raw, len, &r);
    printf("alice: %d %s\n", r.status, r.body);
    CHECK(r.status == 403);
    CHECK(strstr(r.body, "User: arn:aws:iam::222222222222:user/alice is not authorized") != NULL);
    CHECK(strstr(r.body, "arn:aws:s3:::productionapp/reports/2026.txt") != NULL);

    /* The same bytes asking for another object: the signature no longer matches. */
    char *tampered = malloc(len + 1);
    memcpy(tampered, raw, len + 1);
    char *year = strstr(tampered, "2026.txt");
    CHECK(year != NULL);
    if (year != NULL) {
        year[3] = '7';
    }
    handle(engine, tampered, len, &r);
    printf("tampered: %d %s\n", r.status, r.body);
    CHECK(r.status == 403 && strstr(r.body, "<Code>SignatureDoesNotMatch</Code>") != NULL);
    free(tampered);

    /* alice assumes UpdateApp; the role session may read the object. */
    kt_credentials *alice = NULL, *session = NULL;
    CHECK_STATUS(kt_engine_credentials(engine, "alice", &alice), KT_STATUS_OK);
    CHECK_STATUS(kt_engine_assume_role(engine, alice, "arn:aws:iam::111111111111:role/UpdateApp",
                                       "deploy", 0, NULL, &session),
                 KT_STATUS_OK);
    if (session != NULL) {
        const char *key = NULL, *token = NULL, *user = NULL;
        int64_t expiration = 0;
        CHECK_STATUS(kt_credentials_access_key_id(session, &key), KT_STATUS_OK);
        CHECK_STATUS(kt_credentials_session_token(session, &token), KT_STATUS_OK);
        CHECK_STATUS(kt_credentials_user_arn(session, &user), KT_STATUS_OK);
        CHECK_STATUS(kt_credentials_expiration(session, &expiration), KT_STATUS_OK);
        CHECK(key != NULL && strncmp(key, "ASIA", 4) == 0);
        CHECK(token != NULL && strlen(token) > 50);
        CHECK(user != NULL && strcmp(user, "arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy") == 0);
        CHECK(expiration == options.fixed_unix_time + 3600);

        kt_caller *role = NULL;
        CHECK_STATUS(kt_engine_caller_for_credentials(engine, session, &role), KT_STATUS_OK);
        kt_decision *d = NULL;
        bool allowed = false;
        CHECK_STATUS(kt_engine_authorize(engine, role, "s3:GetObject",
                                         "arn:aws:s3:::productionapp/reports/2026.txt", NULL, &d),
                     KT_STATUS_OK);
        CHECK_STATUS(kt_decision_allowed(d, &allowed), KT_STATUS_OK);
        CHECK(allowed);
        kt_decision_free(d);
        kt_caller_free(role);
    }
    /* A role alice's policies do not name: AccessDenied with AWS's text. */
    kt_credentials *none = NULL;
    CHECK_STATUS(kt_engine_assume_role(engine, alice, "arn:aws:iam::111111111111:role/Other",
                                       "xx", 0, NULL, &none),
                 KT_STATUS_ACCESS_DENIED);
    CHECK(none == NULL);
    CHECK_STATUS(kt_engine_assume_role(engine, alice, "arn:aws:iam::111111111111:role/UpdateApp",
                                       "bad name!", 0, NULL, &none),
                 KT_STATUS_VALIDATION_ERROR);
    kt_credentials_free(session);
    kt_credentials_free(alice);
    kt_engine_free(engine);
    free(raw);
    if (failures > 0) {
        fprintf(stderr, "http_handler: %d check(s) failed\n", failures);
        return 1;
    }
    printf("http_handler: all checks passed\n");
    return 0;
}
