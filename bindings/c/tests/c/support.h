/* Helpers shared by the C tests: checks, file reading, a minimal HTTP/1.1 request parser. */
#ifndef KEYTURN_TEST_SUPPORT_H
#define KEYTURN_TEST_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyturn.h"

static int failures = 0;

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                            \
        }                                                                          \
    } while (0)

/* Checks a status; on failure prints the thread's last error message. */
#define CHECK_STATUS(call, expected)                                                     \
    do {                                                                                 \
        kt_status st_ = (call);                                                          \
        if (st_ != (kt_status)(expected)) {                                              \
            char msg_[512];                                                              \
            size_t n_ = 0;                                                               \
            kt_last_error_message(msg_, sizeof msg_, &n_);                               \
            fprintf(stderr, "%s:%d: %s returned %u, expected %u: %s\n", __FILE__, __LINE__, \
                    #call, (unsigned)st_, (unsigned)(expected), msg_);                   \
            failures++;                                                                  \
        }                                                                                \
    } while (0)

static char *read_file(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    buf[n] = '\0';
    fclose(f);
    *len_out = (size_t)n;
    return buf;
}

#define MAX_HEADERS 32

/* A parsed request: every pointer points into the raw text. */
typedef struct {
    kt_header headers[MAX_HEADERS];
    kt_request request;
} parsed_request;

static const char *skip_spaces(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    return p;
}

/* Parses "METHOD TARGET HTTP/1.1" + "Name: value" lines + blank line + body; accepts CRLF or
 * LF line ends (the SigV4 suite's files use LF). Returns 0 on success. */
static int parse_request(const char *raw, size_t len, parsed_request *out) {
    memset(out, 0, sizeof *out);
    const char *end = raw + len;
    const char *eol = memchr(raw, '\n', len);
    if (eol == NULL) {
        return -1;
    }
    const char *sp1 = memchr(raw, ' ', (size_t)(eol - raw));
    if (sp1 == NULL) {
        return -1;
    }
    const char *target = sp1 + 1;
    const char *sp2 = memchr(target, ' ', (size_t)(eol - target));
    if (sp2 == NULL) {
        return -1;
    }
    out->request.method = raw;
    out->request.method_len = (size_t)(sp1 - raw);
    const char *q = memchr(target, '?', (size_t)(sp2 - target));
    out->request.path = target;
    out->request.path_len = (size_t)((q ? q : sp2) - target);
    if (q != NULL) {
        out->request.query = q + 1;
        out->request.query_len = (size_t)(sp2 - q - 1);
    }
    size_t n = 0;
    const char *p = eol + 1;
    while (p < end) {
        const char *line_end = memchr(p, '\n', (size_t)(end - p));
        if (line_end == NULL) {
            line_end = end;
        }
        const char *content_end = line_end;
        if (content_end > p && content_end[-1] == '\r') {
            content_end--;
        }
        if (content_end == p) { /* blank line: the body follows */
            p = line_end < end ? line_end + 1 : end;
            break;
        }
        const char *colon = memchr(p, ':', (size_t)(content_end - p));
        if (colon == NULL || n == MAX_HEADERS) {
            return -1;
        }
        const char *value = skip_spaces(colon + 1, content_end);
        out->headers[n].name = p;
        out->headers[n].name_len = (size_t)(colon - p);
        out->headers[n].value = (const uint8_t *)value;
        out->headers[n].value_len = (size_t)(content_end - value);
        n++;
        p = line_end < end ? line_end + 1 : end;
    }
    out->request.headers = out->headers;
    out->request.headers_len = n;
    out->request.body = (const uint8_t *)p;
    out->request.body_len = (size_t)(end - p);
    return 0;
}

#endif
