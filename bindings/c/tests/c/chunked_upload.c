/* Streamed (aws-chunked) uploads through the C API: real uploads signed with the seed's alice
 * credentials (captured by scripts/capture_chunked_uploads.py: boto3's S3 client with SigV4 and
 * with SigV4a, and a SigV4a signed-chunk upload) are verified with kt_engine_verify_upload, then
 * fed to kt_chunked_feed one byte at a time, at awkward cuts (inside a chunk header, inside a
 * chunk signature, inside the trailer) and whole; the decoded bytes must be the object's. A
 * tampered chunk, a wrong chunk signature, a truncated body and a wrong trailing checksum are
 * refused with S3's codes, and a refused body refuses all input afterwards.
 * Usage: chunked_upload CONFIG_YAML DATA_DIR */
#include "support.h"

typedef struct {
    char *raw;
    size_t len;
    char *content;
    size_t content_len;
    long long time;
} upload;

static upload load(const char *dir, const char *name) {
    char path[1024];
    upload u;
    size_t tlen = 0;
    snprintf(path, sizeof path, "%s/chunked-%s.http", dir, name);
    u.raw = read_file(path, &u.len);
    snprintf(path, sizeof path, "%s/chunked-%s.content", dir, name);
    u.content = read_file(path, &u.content_len);
    snprintf(path, sizeof path, "%s/chunked-%s.time", dir, name);
    char *t = read_file(path, &tlen);
    u.time = strtoll(t, NULL, 10);
    free(t);
    return u;
}

/* Verifies the headers of `raw` (with `body` as its body); NULL when refused. */
static kt_chunked *start(const kt_engine *engine, const char *raw, size_t len) {
    parsed_request req;
    if (parse_request(raw, len, &req) != 0) {
        CHECK(0);
        return NULL;
    }
    kt_caller *caller = NULL;
    kt_chunked *body = NULL;
    CHECK_STATUS(kt_engine_verify_upload(engine, "s3", &req.request, &caller, &body), KT_STATUS_OK);
    if (caller != NULL) {
        const char *arn = NULL;
        kt_caller_arn(caller, &arn);
        CHECK(arn != NULL && strcmp(arn, "arn:aws:iam::222222222222:user/alice") == 0);
    }
    kt_caller_free(caller);
    CHECK(body != NULL);
    return body;
}

/* The body part of a raw request. */
static const char *body_of(const char *raw, size_t len, size_t *body_len) {
    const char *sep = strstr(raw, "\r\n\r\n");
    if (sep == NULL) {
        *body_len = 0;
        return raw + len;
    }
    *body_len = len - (size_t)(sep + 4 - raw);
    return sep + 4;
}

/* Feeds `data` cut at the sorted offsets `cuts` (then the rest); the first failing status.
 * The decoded bytes go to `out` (room for `len`), their count to `*decoded`. */
static kt_status feed_cut(kt_chunked *body, const char *data, size_t len, const size_t *cuts, size_t ncuts,
                          char *out, size_t *decoded) {
    size_t from = 0;
    *decoded = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? (cuts[i] < len ? cuts[i] : len) : len;
        if (to < from) {
            continue;
        }
        size_t written = 0;
        kt_status st = kt_chunked_feed(body, (const uint8_t *)data + from, to - from, (uint8_t *)out + *decoded,
                                       len - *decoded, &written);
        *decoded += written;
        if (st != KT_STATUS_OK) {
            return st;
        }
        from = to;
    }
    size_t trailers = 0;
    return kt_chunked_finish(body, &trailers);
}

static size_t offset_of(const char *data, size_t len, const char *needle, size_t plus) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(data + i, needle, n) == 0) {
            return i + plus;
        }
    }
    return 0;
}

static void check_upload(kt_engine *engine, const char *dir, const char *name, bool signed_chunks) {
    upload u = load(dir, name);
    printf("%s: %zu bytes, object %zu bytes\n", name, u.len, u.content_len);
    CHECK_STATUS(kt_engine_set_time(engine, u.time), KT_STATUS_OK);
    size_t blen = 0;
    const char *data = body_of(u.raw, u.len, &blen);
    char *out = malloc(blen + 1);
    size_t decoded = 0;

    /* One byte at a time, every offset a cut. */
    size_t *every = malloc(blen * sizeof *every);
    for (size_t i = 0; i < blen; i++) {
        every[i] = i;
    }
    size_t awkward[] = {
        1,
        offset_of(data, blen, ";chunk-signature=", 3),
        offset_of(data, blen, "chunk-signature=", 16 + 50),
        offset_of(data, blen, "x-amz-checksum-", 6),
        offset_of(data, blen, "x-amz-trailer-signature:", 30),
    };
    for (size_t i = 1; i < sizeof awkward / sizeof *awkward; i++) { /* keep them sorted */
        for (size_t j = i; j > 0 && awkward[j - 1] > awkward[j]; j--) {
            size_t t = awkward[j];
            awkward[j] = awkward[j - 1];
            awkward[j - 1] = t;
        }
    }
    struct {
        const size_t *cuts;
        size_t n;
    } ways[] = {{every, blen}, {awkward, sizeof awkward / sizeof *awkward}, {NULL, 0}};
    for (size_t w = 0; w < 3; w++) {
        kt_chunked *body = start(engine, u.raw, u.len);
        if (body == NULL) {
            continue;
        }
        const char *payload = NULL;
        CHECK_STATUS(kt_chunked_payload(body, &payload), KT_STATUS_OK);
        CHECK(payload != NULL && strncmp(payload, "STREAMING-", 10) == 0);
        CHECK_STATUS(feed_cut(body, data, blen, ways[w].cuts, ways[w].n, out, &decoded), KT_STATUS_OK);
        CHECK(decoded == u.content_len && memcmp(out, u.content, decoded) == 0);
        const char *tname = NULL, *tvalue = NULL;
        CHECK_STATUS(kt_chunked_trailer(body, 0, &tname, &tvalue), KT_STATUS_OK);
        CHECK(tname != NULL && strcmp(tname, "x-amz-checksum-crc32") == 0);
        CHECK_STATUS(kt_chunked_trailer(body, 5, &tname, &tvalue), KT_STATUS_INVALID_ARGUMENT);
        kt_chunked_free(body);
    }
    free(every);

    char *copy = malloc(blen + 1);
    /* A data byte changed. */
    memcpy(copy, data, blen);
    copy[offset_of(copy, blen, "\r\n", 2) + 5] ^= 1;
    kt_chunked *body = start(engine, u.raw, u.len);
    kt_status st = feed_cut(body, copy, blen, NULL, 0, out, &decoded);
    CHECK(st == (signed_chunks ? KT_STATUS_SIGNATURE_DOES_NOT_MATCH : KT_STATUS_BAD_DIGEST));
    /* Refused for good. */
    size_t written = 0;
    CHECK_STATUS(kt_chunked_feed(body, (const uint8_t *)"0\r\n", 3, (uint8_t *)out, blen, &written),
                 KT_STATUS_INVALID_REQUEST);
    kt_chunked_free(body);

    if (signed_chunks) {
        /* A chunk signature changed. */
        memcpy(copy, data, blen);
        size_t at = offset_of(copy, blen, "chunk-signature=", 16 + 10);
        copy[at] = copy[at] == '0' ? '1' : '0';
        body = start(engine, u.raw, u.len);
        CHECK(feed_cut(body, copy, blen, NULL, 0, out, &decoded) == KT_STATUS_SIGNATURE_DOES_NOT_MATCH);
        kt_chunked_free(body);
    }

    /* Truncated: the end never comes. */
    body = start(engine, u.raw, u.len);
    CHECK(feed_cut(body, data, blen - 4, NULL, 0, out, &decoded) == KT_STATUS_INCOMPLETE_BODY);
    const char *code = NULL;
    CHECK_STATUS(kt_status_aws_code(KT_STATUS_INCOMPLETE_BODY, &code), KT_STATUS_OK);
    CHECK(code != NULL && strcmp(code, "IncompleteBody") == 0);
    kt_chunked_free(body);

    /* A wrong trailing checksum (one base64 character changed). */
    memcpy(copy, data, blen);
    size_t at = offset_of(copy, blen, "x-amz-checksum-crc32:", 21);
    copy[at] = copy[at] == 'A' ? 'B' : 'A';
    body = start(engine, u.raw, u.len);
    st = feed_cut(body, copy, blen, NULL, 0, out, &decoded);
    CHECK(st == (signed_chunks ? KT_STATUS_SIGNATURE_DOES_NOT_MATCH : KT_STATUS_BAD_DIGEST));
    if (!signed_chunks) {
        char msg[256];
        size_t n = 0;
        kt_last_error_message(msg, sizeof msg, &n);
        CHECK(strcmp(msg, "The CRC32 you specified did not match the calculated checksum.") == 0);
    }
    kt_chunked_free(body);

    /* A short output buffer is refused before anything is consumed. */
    body = start(engine, u.raw, u.len);
    CHECK_STATUS(kt_chunked_feed(body, (const uint8_t *)data, blen, (uint8_t *)out, 1, &written),
                 KT_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == blen);
    kt_chunked_free(body);

    free(copy);
    free(out);
    free(u.raw);
    free(u.content);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s CONFIG DATA_DIR\n", argv[0]);
        return 2;
    }
    kt_engine *engine = NULL;
    kt_engine_options options = {0};
    options.use_fixed_time = true;
    CHECK_STATUS(kt_engine_from_config_path(argv[1], &options, &engine), KT_STATUS_OK);
    if (engine == NULL) {
        return 1;
    }
    check_upload(engine, argv[2], "sigv4-unsigned-trailer", false);
    check_upload(engine, argv[2], "sigv4a-unsigned-trailer", false);
    check_upload(engine, argv[2], "sigv4a-signed-trailer", true);

    /* A plain request has no body verifier. */
    size_t len = 0;
    char path[1024];
    snprintf(path, sizeof path, "%s/boto3-s3-get.http", argv[2]);
    char *raw = read_file(path, &len);
    snprintf(path, sizeof path, "%s/boto3-s3-get.time", argv[2]);
    size_t tlen = 0;
    char *t = read_file(path, &tlen);
    CHECK_STATUS(kt_engine_set_time(engine, strtoll(t, NULL, 10)), KT_STATUS_OK);
    free(t);
    parsed_request req;
    CHECK(parse_request(raw, len, &req) == 0);
    kt_caller *caller = NULL;
    kt_chunked *body = (kt_chunked *)1;
    CHECK_STATUS(kt_engine_verify_upload(engine, "s3", &req.request, &caller, &body), KT_STATUS_OK);
    CHECK(caller != NULL && body == NULL);
    kt_caller_free(caller);
    free(raw);

    kt_engine_free(engine);
    if (failures > 0) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("chunked_upload: all checks passed\n");
    return 0;
}
