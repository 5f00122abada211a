/* SPDX-License-Identifier: MIT */
/*
 * Loading the plugins (plugin.h): dlopen() of kmvault-<group>.so from one
 * directory fixed when kmvault is built and installed, once per process.
 */
#include "common.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>

#include "kmv/i18n.h"
#include "plugin/plugin.h"

/* Set by CMakeLists.txt: the build tree's binary and its plugins, and the
 * plugins' directory relative to the installed binary's directory. */
#ifndef KMV_BUILD_EXE
#define KMV_BUILD_EXE ""
#endif
#ifndef KMV_BUILD_PLUGIN_DIR
#define KMV_BUILD_PLUGIN_DIR ""
#endif
#ifndef KMV_PLUGIN_RELDIR
#define KMV_PLUGIN_RELDIR "../lib/kmvault"
#endif
#ifndef KMV_PLUGIN_FULLDIR
#define KMV_PLUGIN_FULLDIR "/usr/local/lib/kmvault"
#endif

static const struct {
	const char *name;   /* the file, kmvault-<name>.so */
	const char *symbol; /* its table */
	size_t size;
	const char *what; /* for the error: what kmvault needs it for */
} groups[KMV_PLUGIN_GROUPS] = {
	[KMV_PLUGIN_REPORT] = { "report", "kmv_plugin_report",
				sizeof(struct kmv_plugin_report),
				N_("writes PDF and Excel files") },
	[KMV_PLUGIN_PAGES] = { "pages", "kmv_plugin_pages",
			       sizeof(struct kmv_plugin_pages),
			       N_("reads e-mails, web pages, PDFs and "
				  "screenshots") },
	[KMV_PLUGIN_ARCHIVE] = { "archive", "kmv_plugin_archive",
				 sizeof(struct kmv_plugin_archive),
				 N_("reads ZIP and Excel files and writes "
				    "evidence bundles") },
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const void *tables[KMV_PLUGIN_GROUPS];

int kmv_plugin__dir(kmv_buf *out)
{
	const char *env = secure_getenv("KMVAULT_PLUGIN_DIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return kmv_buf_puts(out, env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || (size_t)n >= sizeof(exe) - 1 ||
	    KMV_PLUGIN_RELDIR[0] == '/')
		return kmv_buf_puts(out, KMV_PLUGIN_FULLDIR);
	exe[n] = '\0';
	/* The build tree's binary runs with the build tree's plugins. */
	if (strcmp(exe, KMV_BUILD_EXE) == 0)
		return kmv_buf_puts(out, KMV_BUILD_PLUGIN_DIR);
	/* Installed: relative to the binary, so --prefix and DESTDIR work. */
	*strrchr(exe, '/') = '\0';
	return kmv_buf_printf(out, "%s/%s", exe, KMV_PLUGIN_RELDIR);
}

/* Load one group's plugin; called with the lock held. */
static const void *load(kmv_plugin_group group)
{
	kmv_buf path = KMV_BUF_INIT;
	const struct kmv_plugin_head *head = NULL;
	void *handle = NULL;

	if (kmv_plugin__dir(&path) < 0 ||
	    kmv_buf_printf(&path, "/kmvault-%s.so", groups[group].name) < 0)
		goto done;
	handle = dlopen(path.ptr, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		kmv_error_set(KMV_ERROR_OS,
			      "cannot load %s, the part of kmvault that %s: "
			      "%s (is kmvault installed completely?)",
			      path.ptr, _(groups[group].what), dlerror());
		goto done;
	}
	head = dlsym(handle, groups[group].symbol);
	if (!head || !head->version ||
	    strcmp(head->version, KMV_VERSION) != 0 ||
	    head->size != groups[group].size) {
		kmv_error_set(KMV_ERROR_OS,
			      "%s belongs to another build of kmvault "
			      "(version %s, this is %s); reinstall kmvault",
			      path.ptr,
			      head && head->version ? head->version : "?",
			      KMV_VERSION);
		head = NULL;
		dlclose(handle);
	}
done:
	kmv_buf_dispose(&path);
	return head;
}

const void *kmv_plugin__get(kmv_plugin_group group)
{
	const void *table;

	pthread_mutex_lock(&lock);
	if (!tables[group])
		tables[group] = load(group);
	table = tables[group];
	pthread_mutex_unlock(&lock);
	return table;
}
