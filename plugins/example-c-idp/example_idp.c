/*
 * example-c-idp: an identity-provider plugin for Keyturn written in plain C11, to show that the plugin ABI is
 * language-neutral. It accepts tokens of the form "user:<name>" (name: 1-64 of [A-Za-z0-9._@-]) and returns
 * <name> as the subject; anything else is rejected with InvalidIdentityToken.
 *
 * Configuration (JSON object, optional): {"issuer": "..."} is not parsed here; the issuer is fixed. The JSON
 * handling is deliberately tiny: it finds the string value of "token" in the request object.
 *
 * Build: gcc -std=c11 -Wall -Wextra -Werror -shared -fPIC -I crates/keyturn-plugin/include \
 *            -o libexample_c_idp.so plugins/example-c-idp/example_idp.c
 */
#include <stdlib.h>
#include <string.h>

#include "keyturn_plugin.h"

#define PLUGIN_NAME "example-c-idp"
#define PLUGIN_VERSION "0.1.0"
#define ISSUER "https://example-c-idp.invalid"
#define MAX_NAME 64

/* Per-instance state. This plugin needs none; verify only reads it, so concurrent calls are safe (the ABI requires
 * every entry point to be callable from several threads at once). */
struct instance {
    const char *issuer;
};

/* Copies `text` into a fresh buffer owned by this plugin (released by free_buf). */
static void put(KtBuf *out, const char *text) {
    size_t len = strlen(text);
    if (out == NULL) {
        return;
    }
    out->ptr = NULL;
    out->len = 0;
    out->cap = 0;
    if (len == 0) {
        return;
    }
    out->ptr = malloc(len);
    if (out->ptr == NULL) {
        return;
    }
    memcpy(out->ptr, text, len);
    out->len = len;
    out->cap = len;
}

static uint32_t reject(KtBuf *out, const char *message) {
    /* The messages used here contain no characters that need JSON escaping. */
    char body[256];
    size_t used = 0;
    const char *prefix = "{\"code\":\"InvalidIdentityToken\",\"message\":\"";
    size_t prefix_len = strlen(prefix);
    size_t message_len = strlen(message);
    if (prefix_len + message_len + 3 > sizeof body) {
        put(out, "message too long");
        return KT_STATUS_INTERNAL;
    }
    memcpy(body, prefix, prefix_len);
    used = prefix_len;
    memcpy(body + used, message, message_len);
    used += message_len;
    memcpy(body + used, "\"}", 3);
    put(out, body);
    return KT_STATUS_REJECTED;
}

/*
 * Finds `"key"` followed by `:` and a JSON string in `json` (not NUL-terminated) and returns a pointer to the
 * string's first byte and its length, or NULL. Strings with escapes are refused: a token never needs them.
 */
static const char *find_string(const char *json, size_t len, const char *key, size_t *value_len) {
    size_t key_len = strlen(key);
    for (size_t i = 0; i + key_len + 2 <= len; i++) {
        if (json[i] != '"' || memcmp(json + i + 1, key, key_len) != 0 || json[i + 1 + key_len] != '"') {
            continue;
        }
        size_t j = i + key_len + 2;
        while (j < len && (json[j] == ' ' || json[j] == '\t' || json[j] == '\n' || json[j] == '\r')) {
            j++;
        }
        if (j >= len || json[j] != ':') {
            continue;
        }
        j++;
        while (j < len && (json[j] == ' ' || json[j] == '\t' || json[j] == '\n' || json[j] == '\r')) {
            j++;
        }
        if (j >= len || json[j] != '"') {
            return NULL;
        }
        size_t start = j + 1;
        for (size_t k = start; k < len; k++) {
            if (json[k] == '\\') {
                return NULL;
            }
            if (json[k] == '"') {
                *value_len = k - start;
                return json + start;
            }
        }
        return NULL;
    }
    return NULL;
}

static int name_char_ok(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '@' || c == '-';
}

static uint32_t idp_create(KtStr config, void **out_handle, KtBuf *out_error) {
    (void)config;
    if (out_handle == NULL) {
        put(out_error, "NULL out_handle");
        return KT_STATUS_INVALID_INPUT;
    }
    struct instance *instance = calloc(1, sizeof *instance);
    if (instance == NULL) {
        put(out_error, "out of memory");
        return KT_STATUS_INTERNAL;
    }
    instance->issuer = ISSUER;
    *out_handle = instance;
    return KT_STATUS_OK;
}

static void idp_destroy(void *handle) {
    free(handle);
}

static void idp_free_buf(KtBuf buf) {
    free(buf.ptr);
}

static uint32_t idp_verify(void *handle, KtStr request, KtBuf *out) {
    if (handle == NULL || out == NULL || (request.ptr == NULL && request.len > 0)) {
        put(out, "NULL argument");
        return KT_STATUS_INVALID_INPUT;
    }
    size_t token_len = 0;
    const char *token = find_string((const char *)request.ptr, request.len, "token", &token_len);
    if (token == NULL) {
        put(out, "request has no string \"token\"");
        return KT_STATUS_INVALID_INPUT;
    }
    if (token_len < 6 || memcmp(token, "user:", 5) != 0) {
        return reject(out, "Token is not of the form user:NAME");
    }
    const char *name = token + 5;
    size_t name_len = token_len - 5;
    if (name_len > MAX_NAME) {
        return reject(out, "User name is too long");
    }
    for (size_t i = 0; i < name_len; i++) {
        if (!name_char_ok(name[i])) {
            return reject(out, "User name has a character outside [A-Za-z0-9._@-]");
        }
    }
    char subject[MAX_NAME + 1];
    memcpy(subject, name, name_len);
    subject[name_len] = '\0';

    char result[512];
    size_t used = 0;
    const char *parts[] = {
        "{\"subject\":\"", subject, "\",\"issuer\":\"" ISSUER "\",\"audience\":\"keyturn\",",
        "\"condition_keys\":{\"example-c-idp.invalid:sub\":[\"", subject, "\"]},",
        "\"session_tags\":[{\"key\":\"user\",\"value\":\"", subject, "\"}]}",
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t part_len = strlen(parts[i]);
        if (used + part_len + 1 > sizeof result) {
            put(out, "result too long");
            return KT_STATUS_INTERNAL;
        }
        memcpy(result + used, parts[i], part_len);
        used += part_len;
    }
    result[used] = '\0';
    put(out, result);
    if (out->ptr == NULL) {
        return KT_STATUS_INTERNAL;
    }
    return KT_STATUS_OK;
}

static const KtIdentityProviderVtable VTABLE = {
    .struct_size = sizeof(KtIdentityProviderVtable),
    .verify = idp_verify,
};

static const KtPluginDescriptor DESCRIPTOR = {
    .struct_size = sizeof(KtPluginDescriptor),
    .kind = KT_PLUGIN_KIND_IDENTITY_PROVIDER,
    .name = {(const uint8_t *)PLUGIN_NAME, sizeof PLUGIN_NAME - 1},
    .version = {(const uint8_t *)PLUGIN_VERSION, sizeof PLUGIN_VERSION - 1},
    .create = idp_create,
    .destroy = idp_destroy,
    .free_buf = idp_free_buf,
    .vtable = &VTABLE,
};

KtProbe keyturn_plugin_probe(void) {
    KtProbe probe = {KT_PLUGIN_MAGIC, KT_ABI_MAJOR, KT_ABI_MINOR};
    return probe;
}

const KtPluginDescriptor *keyturn_plugin_init(void) {
    return &DESCRIPTOR;
}
