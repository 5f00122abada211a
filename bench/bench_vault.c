/* SPDX-License-Identifier: MIT */
/*
 * Vault open/save cost against plain SQLite doing the same work, and the
 * KDF cost per preset.  Usage:
 *   bench_vault gen DIR N        make DIR/vault-N.kmv (N payment records) and
 *                                DIR/plain-N.db (the same database, plain)
 *   bench_vault open DIR N       time kmvault open (KDF separated) vs plain
 *   bench_vault save DIR N       time kmvault save vs plain serialize+write+fsync
 *   bench_vault kdf              Argon2id cost per preset
 * Output: one "name seconds" line per measurement (bench/vault.sh collects).
 */
#include <fcntl.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kmvutil/datetime.h"
#include "kmvutil/file.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/envelope.h"
#include "store/vault.h"
#include "store/db.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static kmv_secret *pass(void)
{
	kmv_secret *s = NULL;

	kmv_secret_new(&s, "bench passphrase", 16);
	return s;
}

static int die(const char *what)
{
	fprintf(stderr, "bench_vault: %s: %s\n", what, kmv_error_last());
	return 1;
}

static const char *const merchants[] = {
	"示例卡盟网络科技", "泉州龙腾药房", "示例超市",   "美团平台商户",
	"游戏点卡专营店",   "示例奶茶店",   "示例便利店", "示例书店",
};
static const char *const products[] = {
	"游戏点卡 50元",
	"会员月卡",
	"午餐套餐",
	"洗衣液",
	"话费充值 100元",
	"美团订单-外卖",
	"余额宝-2024.03.01-收益发放",
	"视频会员年卡",
};

static int gen(const char *dir, long n)
{
	char path[4096], plain[4096], rk[KMV_RECOVERY_KEY_BUFSZ];
	kmv_vault_create_options co = KMV_VAULT_CREATE_OPTIONS_INIT;
	kmv_vault_open_options oo = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_secret *p = pass();
	kmv_vault *v = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned seed = 20240601;
	double t0;

	snprintf(path, sizeof(path), "%s/vault-%ld.kmv", dir, n);
	snprintf(plain, sizeof(plain), "%s/plain-%ld.db", dir, n);
	unlink(path);
	unlink(plain);
	co.kdf = KMV_KDF_INTERACTIVE;
	if (kmv_vault_create(rk, path, p, &co) < 0)
		return die("create");
	oo.write = true;
	if (kmv_vault_open(&v, path, KMV_UNLOCK_PASSPHRASE, p, &oo) < 0)
		return die("open");
	db = kmv_vault__db(v);
	t0 = now();
	kmv_db__exec(db, "BEGIN");
	kmv_db__prepare(
		&st, db,
		"INSERT INTO records(kind, source_kind, dedup_key, merchant, "
		"payment_no, merchant_order_no, time, ts, amount, direction, "
		"status_raw, status, product, category, payment_method, "
		"created_at, updated_at) VALUES ('payment','alipay',?1,?2,?1,?3,"
		"?4,?5,?6,'out','交易成功','success',?7,'数码电器','余额',?4,?4)");
	for (long i = 0; i < n; i++) {
		char id[64], mo[64], when[64];
		long ts = 1640966400 + (long)(rand_r(&seed) % 94608000);
		kmv_time t = { ts, 480 };

		snprintf(id, sizeof(id), "2024%024ld", i);
		snprintf(mo, sizeof(mo), "T200P%015ld", i);
		kmv_time_format(when, &t);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, merchants[rand_r(&seed) % 8], -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 3, mo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, when, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, ts);
		sqlite3_bind_int64(st, 6, 100 + rand_r(&seed) % 50000);
		sqlite3_bind_text(st, 7, products[rand_r(&seed) % 8], -1,
				  SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return die("insert");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	kmv_db__exec(db, "COMMIT");
	fprintf(stderr, "generated %ld records in %.2f s\n", n, now() - t0);
	if (kmv_vault_save(v) < 0)
		return die("save");
	/* The same database as a plain SQLite file for the baseline. */
	st = NULL;
	sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &st, NULL);
	sqlite3_bind_text(st, 1, plain, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return die("vacuum into");
	sqlite3_finalize(st);
	kmv_vault_free(v);
	kmv_secret_free(p);
	return 0;
}

static long count(sqlite3 *db)
{
	sqlite3_stmt *st;
	long n = -1;

	sqlite3_prepare_v2(db,
			   "SELECT count(*) FROM records WHERE ts >= 1709222400 "
			   "AND ts < 1711900800",
			   -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * The floor of an open, with the key in hand: map the file (MAP_POPULATE),
 * pull every secretstream chunk straight into SQLite's buffer, deserialize
 * and run the query.  No header parsing, no checks beyond the AEAD's.
 */
static double floor_open(const char *path, const struct kmv_env_header *h,
			 const uint8_t *key)
{
	crypto_secretstream_xchacha20poly1305_state st;
	size_t abytes = crypto_secretstream_xchacha20poly1305_ABYTES;
	size_t hdr = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	uint8_t ad[KMV_ENV_FIXED_LEN];
	const uint8_t *map, *payload;
	struct stat sb;
	size_t len, cap, off, out = 0;
	unsigned char *img, tag = 0;
	sqlite3 *db = NULL;
	double t0 = now();
	int fd = open(path, O_RDONLY);

	fstat(fd, &sb);
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ,
		   MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	payload = map + h->header_len;
	len = (size_t)sb.st_size - h->header_len;
	cap = len;
	img = sqlite3_malloc64(cap);
	kmv_env__fixed_part(ad, h);
	crypto_secretstream_xchacha20poly1305_init_pull(&st, payload, key);
	for (off = hdr; off < len;) {
		size_t clen = len - off < h->chunk + abytes ? len - off
							    : h->chunk + abytes;
		unsigned long long mlen = 0;

		if (crypto_secretstream_xchacha20poly1305_pull(
			    &st, img + out, &mlen, &tag, payload + off, clen,
			    ad, sizeof(ad)) != 0)
			return -1;
		out += (size_t)mlen;
		off += clen;
	}
	munmap((void *)map, (size_t)sb.st_size);
	sqlite3_open(":memory:", &db);
	img[18] = img[19] = 1;
	sqlite3_deserialize(db, "main", img, (sqlite3_int64)out,
			    (sqlite3_int64)cap,
			    SQLITE_DESERIALIZE_FREEONCLOSE |
				    SQLITE_DESERIALIZE_RESIZEABLE);
	count(db);
	sqlite3_close(db);
	return now() - t0;
}

static int bench_open(const char *dir, long n)
{
	char path[4096], plain[4096];
	kmv_secret *p = pass();
	kmv_vault *v = NULL;
	sqlite3 *db = NULL;
	double t0, kdf, total;
	unsigned char key[32], salt[16] = { 0 };

	snprintf(path, sizeof(path), "%s/vault-%ld.kmv", dir, n);
	snprintf(plain, sizeof(plain), "%s/plain-%ld.db", dir, n);
	t0 = now();
	if (crypto_pwhash(key, sizeof(key), "x", 1, salt,
			  crypto_pwhash_OPSLIMIT_INTERACTIVE,
			  crypto_pwhash_MEMLIMIT_INTERACTIVE,
			  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return die("kdf");
	kdf = now() - t0;
	t0 = now();
	if (kmv_vault_open(&v, path, KMV_UNLOCK_PASSPHRASE, p, NULL) < 0)
		return die("open");
	count(kmv_vault__db(v));
	total = now() - t0;
	printf("kmvault_open_total %.4f\n", total);
	printf("kmvault_open_minus_kdf %.4f\n", total - kdf);
	{
		struct kmv_env_header h = v->header;
		uint8_t dkey[32];

		memcpy(dkey, v->data_key, sizeof(dkey));
		kmv_vault_free(v);
		printf("floor_mmap_decrypt_query %.4f\n",
		       floor_open(path, &h, dkey));
		sodium_memzero(dkey, sizeof(dkey));
	}

	t0 = now();
	sqlite3_open_v2(plain, &db, SQLITE_OPEN_READONLY, NULL);
	count(db);
	printf("sqlite_open_file_query %.4f\n", now() - t0);
	sqlite3_close(db);

	/* Same work without crypto: read the file, deserialize, query. */
	{
		kmv_buf b = KMV_BUF_INIT;
		unsigned char *img;

		t0 = now();
		kmv_file_read(&b, plain, (size_t)16 << 30);
		img = sqlite3_malloc64(b.size);
		memcpy(img, b.ptr, b.size);
		sqlite3_open(":memory:", &db);
		sqlite3_deserialize(db, "main", img, (sqlite3_int64)b.size,
				    (sqlite3_int64)b.size,
				    SQLITE_DESERIALIZE_FREEONCLOSE |
					    SQLITE_DESERIALIZE_RESIZEABLE);
		count(db);
		printf("sqlite_read_deserialize_query %.4f\n", now() - t0);
		sqlite3_close(db);
		kmv_buf_dispose(&b);
	}
	kmv_secret_free(p);
	return 0;
}

static int bench_save(const char *dir, long n)
{
	char path[4096], plain[4096];
	kmv_vault_open_options oo = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_secret *p = pass();
	kmv_vault *v = NULL;
	sqlite3 *db = NULL;
	sqlite3_int64 size;
	unsigned char *img;
	double t0;
	int fd;

	snprintf(path, sizeof(path), "%s/vault-%ld.kmv", dir, n);
	snprintf(plain, sizeof(plain), "%s/plain-out-%ld.db", dir, n);
	oo.write = true;
	if (kmv_vault_open(&v, path, KMV_UNLOCK_PASSPHRASE, p, &oo) < 0)
		return die("open");
	t0 = now();
	if (kmv_vault_save(v) < 0)
		return die("save");
	printf("kmvault_save %.4f\n", now() - t0);

	/* Baseline: serialize (copy) + write + fsync + rename, no crypto. */
	db = kmv_vault__db(v);
	t0 = now();
	img = sqlite3_serialize(db, "main", &size, 0);
	fd = open(plain, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (write(fd, img, (size_t)size) != size)
		return die("write");
	fsync(fd);
	close(fd);
	printf("sqlite_serialize_write_fsync %.4f\n", now() - t0);
	sqlite3_free(img);
	unlink(plain);
	kmv_vault_free(v);
	kmv_secret_free(p);
	return 0;
}

static int bench_kdf(void)
{
	static const struct {
		const char *name;
		unsigned long long ops;
		size_t mem;
	} presets[] = {
		{ "interactive", crypto_pwhash_OPSLIMIT_INTERACTIVE,
		  crypto_pwhash_MEMLIMIT_INTERACTIVE },
		{ "moderate", crypto_pwhash_OPSLIMIT_MODERATE,
		  crypto_pwhash_MEMLIMIT_MODERATE },
		{ "sensitive", crypto_pwhash_OPSLIMIT_SENSITIVE,
		  crypto_pwhash_MEMLIMIT_SENSITIVE },
	};
	unsigned char key[32], salt[16] = { 1 };

	for (size_t i = 0; i < 3; i++) {
		double t0 = now();

		if (crypto_pwhash(key, sizeof(key), "bench", 5, salt,
				  presets[i].ops, presets[i].mem,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
			return die("kdf");
		printf("kdf_%s %.4f\n", presets[i].name, now() - t0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	kmv_global_init();
	if (argc == 2 && strcmp(argv[1], "kdf") == 0)
		return bench_kdf();
	if (argc != 4) {
		fprintf(stderr,
			"usage: bench_vault gen|open|save DIR N | kdf\n");
		return 2;
	}
	if (strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]));
	if (strcmp(argv[1], "open") == 0)
		return bench_open(argv[2], atol(argv[3]));
	if (strcmp(argv[1], "save") == 0)
		return bench_save(argv[2], atol(argv[3]));
	return 2;
}
