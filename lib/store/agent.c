/* SPDX-License-Identifier: MIT */
/*
 * The unlock agent: a vault's data key parked in the kernel keyring
 * (keyutils).  The kernel does the keeping, the timeout and the access
 * control; this file only names, binds and checks the key.
 */
#include "common.h"
#include "kmv/agent.h"
#include "kmvutil/hash.h"
#include "store/agent.h"
#include "store/vault.h"

#include <errno.h>
#include <fcntl.h>
#include <keyutils.h>
#include <unistd.h>

#define BINDING_LEN 32
#define TAG_LEN 32
#define PAYLOAD_LEN (KMV_ENV_KEY_LEN + TAG_LEN)
#define NAME_PREFIX "kmvault:"
/* "kmvault:" + 32 hex (vault id) + ":" + 16 hex (slots hash) + NUL */
#define NAME_BUFSZ (sizeof(NAME_PREFIX) + 32 + 1 + 16 + 1)

/* Possessor only: nobody else, not even other sessions of the same user. */
#define KEY_PERM                                                        \
	(KEY_POS_VIEW | KEY_POS_READ | KEY_POS_WRITE | KEY_POS_SEARCH | \
	 KEY_POS_SETATTR)

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
	uint8_t le[8];

	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	crypto_generichash_update(st, le, sizeof(le));
}

/*
 * Hash of what the data key is bound to: the vault id and every keyslot.
 * Saves change only the generation, so an unlock survives them; passwd
 * rewrites the passphrase slot, so the old unlock is never found again.
 */
static void binding(uint8_t out[BINDING_LEN], const struct kmv_env_header *h)
{
	static const char label[] = "kmvault agent binding v1";
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, BINDING_LEN);
	crypto_generichash_update(&st, (const uint8_t *)label, sizeof(label));
	crypto_generichash_update(&st, h->vault_id, sizeof(h->vault_id));
	crypto_generichash_update(&st, &h->nslots, 1);
	for (unsigned i = 0; i < h->nslots && i < KMV_ENV_MAX_SLOTS; i++) {
		const struct kmv_env_slot *s = &h->slots[i];

		crypto_generichash_update(&st, &s->type, 1);
		crypto_generichash_update(&st, &s->kdf, 1);
		put_u64(&st, s->opslimit);
		put_u64(&st, s->memlimit);
		crypto_generichash_update(&st, s->salt, sizeof(s->salt));
		crypto_generichash_update(&st, s->nonce, sizeof(s->nonce));
		crypto_generichash_update(&st, s->wrapped, sizeof(s->wrapped));
	}
	crypto_generichash_final(&st, out, BINDING_LEN);
}

/* The tag proves the data key was parked for this very binding. */
static void tag(uint8_t out[TAG_LEN], const uint8_t *data_key,
		const uint8_t bind[BINDING_LEN])
{
	static const char label[] = "kmvault agent key v1";
	crypto_generichash_state st;

	crypto_generichash_init(&st, data_key, KMV_ENV_KEY_LEN, TAG_LEN);
	crypto_generichash_update(&st, (const uint8_t *)label, sizeof(label));
	crypto_generichash_update(&st, bind, BINDING_LEN);
	crypto_generichash_final(&st, out, TAG_LEN);
}

static void vault_prefix(char *out, size_t size, const uint8_t id[16])
{
	char hex[33];

	kmv_hex_encode(hex, id, 16);
	snprintf(out, size, NAME_PREFIX "%s:", hex);
}

static void key_name(char out[NAME_BUFSZ], const struct kmv_env_header *h)
{
	uint8_t bind[BINDING_LEN];
	char hex[17];
	size_t n;

	binding(bind, h);
	vault_prefix(out, NAME_BUFSZ, h->vault_id);
	kmv_hex_encode(hex, bind, 8);
	n = strlen(out);
	snprintf(out + n, NAME_BUFSZ - n, "%s", hex);
}

/* Read and check only the plaintext header of the vault file. */
static int read_header(struct kmv_env_header *h, const char *path)
{
	uint8_t head[KMV_ENV_FIXED_LEN + KMV_ENV_MAX_SLOTS * KMV_ENV_SLOT_LEN +
		     KMV_ENV_CHECKSUM_LEN];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		kmv_error_set_os("cannot open vault '%s'", path);
		return errno == ENOENT ? KMV_ENOTFOUND : KMV_ERROR;
	}
	do
		n = read(fd, head, sizeof(head));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0) {
		kmv_error_set_os("cannot read vault '%s'", path);
		return KMV_ERROR;
	}
	return kmv_env__header_decode(h, head, (size_t)n, path);
}

static bool keyring_missing(int err)
{
	return err == ENOKEY;
}

static bool key_gone(int err)
{
	return err == EKEYEXPIRED || err == EKEYREVOKED;
}

static void set_unavailable(int err, const char *what)
{
	errno = err;
	kmv_error_set_os("the kernel keyring is unavailable (%s)", what);
}

/*
 * Drop one key for good (invalidate; older kernels: revoke).  False when
 * it was dead already (an invalidated key stays listed in its keyring
 * until the kernel's garbage collector runs).
 */
static bool drop_key(key_serial_t id)
{
	return keyctl_invalidate(id) == 0 || keyctl_revoke(id) == 0;
}

/*
 * Drop a key and unlink it from both rings at once, so a search never
 * meets it dead (a loaded kernel collects it later).
 */
static void discard_key(key_serial_t id)
{
	drop_key(id);
	keyctl_unlink(id, KEY_SPEC_SESSION_KEYRING);
	keyctl_unlink(id, KEY_SPEC_USER_KEYRING);
}

/*
 * Invalidate every user key in `ring` whose description starts with
 * `prefix`.  Returns how many, or -1 with errno when the ring cannot be
 * listed.
 */
static int forget_in(key_serial_t ring, const char *prefix)
{
	void *list = NULL;
	long n = keyctl_read_alloc(ring, &list);
	int count = 0;

	if (n < 0)
		return -1;
	for (long i = 0; i < n / (long)sizeof(key_serial_t); i++) {
		key_serial_t id = ((key_serial_t *)list)[i];
		char *desc = NULL, *name;

		if (keyctl_describe_alloc(id, &desc) < 0)
			continue; /* expired or not ours to see */
		/* "type;uid;gid;perm;description" */
		name = desc;
		for (int field = 0; field < 4 && name; field++) {
			name = strchr(name, ';');
			if (name)
				name++;
		}
		if (strncmp(desc, "user;", 5) == 0 && name &&
		    strncmp(name, prefix, strlen(prefix)) == 0) {
			if (drop_key(id))
				count++;
			keyctl_unlink(id, ring);
		}
		free(desc);
	}
	free(list);
	return count;
}

/* Both rings we may have stored in; *forgotten counts the drops. */
static int forget_prefix(const char *prefix, unsigned int *forgotten)
{
	static const key_serial_t rings[] = { KEY_SPEC_SESSION_KEYRING,
					      KEY_SPEC_USER_KEYRING };
	unsigned int total = 0;

	for (size_t i = 0; i < KMV_ARRAY_SIZE(rings); i++) {
		int n = forget_in(rings[i], prefix);

		if (n > 0)
			total += (unsigned int)n;
	}
	if (forgotten)
		*forgotten = total;
	return 0;
}

int kmv_agent_forget(const char *path, unsigned int *forgotten)
{
	struct kmv_env_header h;
	char prefix[NAME_BUFSZ];
	int error;

	if (forgotten)
		*forgotten = 0;
	if (!path)
		return forget_prefix(NAME_PREFIX, forgotten);
	if ((error = read_header(&h, path)) < 0)
		return error;
	vault_prefix(prefix, sizeof(prefix), h.vault_id);
	return forget_prefix(prefix, forgotten);
}

int kmv_agent_store(kmv_vault *v, unsigned int timeout_seconds,
		    kmv_agent_info *info_out)
{
	char name[NAME_BUFSZ], prefix[NAME_BUFSZ];
	uint8_t bind[BINDING_LEN];
	uint8_t *payload = NULL;
	key_serial_t ring, id = -1;
	bool user_ring = false;
	int error = 0;

	KMV_ASSERT_ARG(v && v->data_key);
	if (timeout_seconds == 0 || timeout_seconds > KMV_AGENT_MAX_TIMEOUT) {
		kmv_error_set(KMV_ERROR_INPUT, "unlock timeout out of range");
		return KMV_EUSAGE;
	}
	/*
	 * The session keyring when the process has one (a login session),
	 * else the user keyring; never create a session keyring for one
	 * process, it would vanish with it.
	 */
	ring = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);
	if (ring < 0) {
		if (!keyring_missing(errno)) {
			set_unavailable(errno, "session keyring");
			return KMV_ERROR;
		}
		ring = KEY_SPEC_USER_KEYRING;
		user_ring = true;
	}
	payload = sodium_malloc(PAYLOAD_LEN);
	if (!payload)
		return kmv_error_nomem();
	binding(bind, &v->header);
	memcpy(payload, v->data_key, KMV_ENV_KEY_LEN);
	tag(payload + KMV_ENV_KEY_LEN, v->data_key, bind);
	key_name(name, &v->header);
	/* One unlock per vault: drop earlier ones (older keyslots too). */
	vault_prefix(prefix, sizeof(prefix), v->header.vault_id);
	forget_prefix(prefix, NULL);
	id = add_key("user", name, payload, PAYLOAD_LEN, ring);
	if (id < 0) {
		set_unavailable(errno, "cannot add the key");
		error = KMV_ERROR;
		goto done;
	}
	if (keyctl_setperm(id, KEY_PERM) < 0 ||
	    keyctl_set_timeout(id, timeout_seconds) < 0) {
		kmv_error_set_os("cannot restrict the unlocked key");
		discard_key(id);
		error = KMV_ERROR;
		goto done;
	}
	if (info_out) {
		info_out->key_id = id;
		info_out->user_keyring = user_ring;
		info_out->timeout_seconds = timeout_seconds;
	}
done:
	sodium_free(payload);
	return error;
}

/* Search the session keyring (which reaches the user keyring), then the
 * user keyring itself.  Returns the key or -1 with errno. */
static key_serial_t search(const char *name)
{
	long id = keyctl_search(KEY_SPEC_SESSION_KEYRING, "user", name, 0);
	int first;

	if (id >= 0)
		return (key_serial_t)id;
	first = errno;
	if (!keyring_missing(first) && !key_gone(first))
		return -1;
	id = keyctl_search(KEY_SPEC_USER_KEYRING, "user", name, 0);
	if (id >= 0)
		return (key_serial_t)id;
	if (keyring_missing(errno))
		errno = first; /* an expiry seen first beats "not there" */
	return -1;
}

int kmv_agent_fetch(kmv_secret **key_out, kmv_agent_status *status,
		    const char *path)
{
	struct kmv_env_header h;
	char name[NAME_BUFSZ];
	uint8_t bind[BINDING_LEN], want[TAG_LEN];
	uint8_t *payload = NULL;
	key_serial_t id;
	long n;
	int error;

	KMV_ASSERT_ARG(key_out && status && path);
	*key_out = NULL;
	*status = KMV_AGENT_ABSENT;
	if ((error = read_header(&h, path)) < 0)
		return error;
	key_name(name, &h);
	id = search(name);
	if (id < 0) {
		if (key_gone(errno))
			*status = KMV_AGENT_EXPIRED;
		else if (!keyring_missing(errno)) {
			set_unavailable(errno, "search");
			*status = KMV_AGENT_UNAVAILABLE;
		}
		return 0;
	}
	payload = sodium_malloc(PAYLOAD_LEN);
	if (!payload)
		return kmv_error_nomem();
	n = keyctl_read(id, (char *)payload, PAYLOAD_LEN);
	if (n < 0 && key_gone(errno)) {
		*status = KMV_AGENT_EXPIRED;
		goto done;
	}
	binding(bind, &h);
	if (n == PAYLOAD_LEN)
		tag(want, payload, bind);
	if (n != PAYLOAD_LEN ||
	    sodium_memcmp(want, payload + KMV_ENV_KEY_LEN, TAG_LEN) != 0) {
		/* Not this vault's key (or not ours at all): never use it. */
		discard_key(id);
		*status = KMV_AGENT_INVALID;
		goto done;
	}
	if ((error = kmv_secret_new(key_out, payload, PAYLOAD_LEN)) < 0)
		goto done;
	*status = KMV_AGENT_FOUND;
done:
	sodium_free(payload);
	sodium_memzero(want, sizeof(want));
	return error;
}

int kmv_agent__unwrap(uint8_t *data_key, const struct kmv_env_header *h,
		      const kmv_secret *secret)
{
	const uint8_t *p = kmv_secret_data(secret);
	uint8_t bind[BINDING_LEN], want[TAG_LEN];
	int ok;

	if (kmv_secret_len(secret) != PAYLOAD_LEN) {
		kmv_error_set(KMV_ERROR_VAULT, "the unlocked key is malformed");
		return KMV_EAUTH;
	}
	binding(bind, h);
	tag(want, p, bind);
	ok = sodium_memcmp(want, p + KMV_ENV_KEY_LEN, TAG_LEN) == 0;
	sodium_memzero(want, sizeof(want));
	if (!ok) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "the unlocked key does not open "
			      "this vault (its keyslots changed)");
		return KMV_EAUTH;
	}
	memcpy(data_key, p, KMV_ENV_KEY_LEN);
	return 0;
}

int kmv_agent_parse_timeout(unsigned int *seconds_out, const char *text)
{
	unsigned long long total = 0;
	const char *p = text;

	if (!*p)
		goto bad;
	while (*p) {
		unsigned long long v = 0, unit = 1;
		const char *start = p;

		while (*p >= '0' && *p <= '9' && v <= KMV_AGENT_MAX_TIMEOUT)
			v = v * 10 + (unsigned)(*p++ - '0');
		if (p == start)
			goto bad;
		switch (*p) {
		case 'd':
			unit = 86400;
			p++;
			break;
		case 'h':
			unit = 3600;
			p++;
			break;
		case 'm':
			unit = 60;
			p++;
			break;
		case 's': p++; break;
		case '\0': break;
		default: goto bad;
		}
		total += v * unit;
		if (total > KMV_AGENT_MAX_TIMEOUT)
			goto bad;
	}
	if (total == 0)
		goto bad;
	*seconds_out = (unsigned int)total;
	return 0;
bad:
	kmv_error_set(KMV_ERROR_INPUT,
		      "'%s' is not a duration between 1s and "
		      "24h (e.g. 90s, 15m, 2h, 1h30m)",
		      text);
	return KMV_EUSAGE;
}
