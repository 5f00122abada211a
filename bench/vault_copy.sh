# Sourced by the benchmarks that time commands on a bench_vault gen vault
# (evidence.sh, pdf.sh, rematch.sh): the one way they get their vault.
# Needs: top, n, data (the generated vaults' directory, reused between
# runs), bin (the kmvault measured).  Sets: work (a temporary directory,
# removed on exit), KMVAULT_PASSPHRASE_FILE, KMVAULT_VAULT (a copy of the
# generated vault, so runs never change it).  KMV_BENCH_UNLOCK=1 runs
# `kmvault unlock` first, so that every command takes the key from the
# kernel keyring ("KDF apart", as issue 17 states its goals).

bench_vault_copy() { # PREFIX of the temporary directory
	mkdir -p "$data"
	if [ ! -f "$data/vault-$n.kmv" ]; then
		cmake -S "$top" -B "$top/build-bench" -DCMAKE_BUILD_TYPE=Release -DKMV_BENCH=ON >/dev/null
		cmake --build "$top/build-bench" -j 2 --target bench_vault >/dev/null
		"$top/build-bench/bench_vault" gen "$data" "$n"
	fi
	work=$(mktemp -d "${TMPDIR:-/tmp}/$1-XXXXXX")
	trap 'rm -rf "$work"' EXIT
	printf 'bench passphrase\n' > "$work/pass"
	chmod 600 "$work/pass"
	export KMVAULT_PASSPHRASE_FILE="$work/pass"
	cp "$data/vault-$n.kmv" "$work/v.kmv"
	export KMVAULT_VAULT="$work/v.kmv"
	if [ "${KMV_BENCH_UNLOCK:-0}" = 1 ]; then
		"$bin" unlock --timeout 30m > /dev/null 2>&1
		trap '"$bin" lock > /dev/null 2>&1; rm -rf "$work"' EXIT
	fi
}

# Median (min-max) of the numbers on stdin, one per line.
stats() { sort -n | awk '{a[NR]=$1} END {printf "%s (%s-%s)", a[int((NR+1)/2)], a[1], a[NR]}'; }
