#!/bin/sh
# The generated bash (and, when zsh is installed, zsh) completion, driven
# through its completion function: commands, verbs, options, values of
# --format/--type/--kind/--reason, files, also after global options.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup
mkdir -p "$T/dir/sub"
: > "$T/dir/statement.csv"

cat > "$T/drive.bash" <<'EOS'
. "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMPREPLY=()
_kmvault
printf '%s\n' "${COMPREPLY[@]}"
EOS
# complete WORD...: the last word is the one being completed
complete_bash() {
	bash "$T/drive.bash" "$KMV_SRC/scripts/kmvault.bash-completion" kmvault "$@" > "$T/got"
}
has() { grep -qxF -- "$1" "$T/got" || { cat "$T/got" >&2; fail "completion lacks '$1' ($ctx)"; }; }
hasnt() { ! grep -qxF -- "$1" "$T/got" || { cat "$T/got" >&2; fail "completion offers '$1' ($ctx)"; }; }

ctx="commands"; complete_bash ''
has query; has alias; has help; has --vault
ctx="after --vault PATH"; complete_bash --vault "$T/v.kmv" qu
has query
ctx="query options after --vault PATH"; complete_bash --vault "$T/v.kmv" query --
has --kind; has --format; has --limit; hasnt --reveal
ctx="--vault=PATH"; complete_bash --vault = "$T/v.kmv" query --for
has --format
ctx="query --format"; complete_bash query --format ''
has table; has csv; has json
ctx="query --kind"; complete_bash --json query --kind ''
has order; has payment; has receipt
ctx="import --kind"; complete_bash import --kind w
has wechat
ctx="anomalies --type"; complete_bash anomalies --type un
has undelivered; has unknown_merchant
ctx="case open --reason"; complete_bash case open 123 --reason ''
has duplicate_charge; has unauthorized
ctx="case close --status"; complete_bash case close 1 --status ''
has resolved; has rejected; hasnt open
ctx="alias verbs"; complete_bash alias ''
has list; has add; has remove
ctx="backup verbs after --vault"; complete_bash --vault "$T/v.kmv" backup ''
has create; has restore
ctx="backup create options"; complete_bash backup create --
has --keep-daily; hasnt --force
ctx="backup create --to DIR"; complete_bash backup create --to "$T/dir/s"
has "$T/dir/sub"
ctx="import FILE"; complete_bash import "$T/dir/st"
has "$T/dir/statement.csv"
ctx="--passphrase-file F"; complete_bash --passphrase-file "$T/dir/st"
has "$T/dir/statement.csv"
ctx="query --from takes a date"; complete_bash query --from ''
! grep -q . "$T/got" || { cat "$T/got" >&2; fail "query --from offers words"; }
ctx="help COMMAND"; complete_bash help ba
has backup
ctx="edit options"; complete_bash edit 42 --
has --platform; has --merchant; has --category; has --note
ctx="void options"; complete_bash void 42 --
has --reason; has --source; hasnt --platform
ctx="unvoid options"; complete_bash unvoid --
hasnt --reason
ctx="commands edit tag void unvoid"; complete_bash ''
has edit; has tag; has void; has unvoid
ctx="rules verbs"; complete_bash rules ''
has apply
ctx="rules apply options"; complete_bash rules apply --
has --rules; has --dry-run
ctx="rules apply --rules FILE"; complete_bash rules apply --rules "$T/dir/st"
has "$T/dir/statement.csv"

if command -v zsh >/dev/null 2>&1; then
	sed '$d' "$KMV_SRC/scripts/_kmvault" > "$T/zfunc"
	cat > "$T/drive.zsh" <<'EOS'
compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }
_files() { print -r -- "_files $*"; }
source "$1"
shift
words=(kmvault "$@")
CURRENT=${#words}
_kmvault
EOS
	complete_zsh() { zsh -f "$T/drive.zsh" "$T/zfunc" "$@" > "$T/got"; }
	ctx="zsh commands"; complete_zsh ''
	has query; has backup
	ctx="zsh after --vault"; complete_zsh --vault "$T/v.kmv" query --kind ''
	has order; has receipt
	ctx="zsh case open --reason"; complete_zsh case open 1 --reason ''
	has undelivered
	ctx="zsh import files"; complete_zsh import x
	has "_files "
	ctx="zsh backup create --to"; complete_zsh backup create --to ''
	has "_files -/"
	ctx="zsh query options"; complete_zsh query --
	has --format; hasnt --reveal
fi
echo "ok"
