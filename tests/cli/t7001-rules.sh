#!/bin/sh
# Categorising rules (issue 15.7): $XDG_CONFIG_HOME/kmvault/rules or
# --rules F, `match FIELD PATTERN -> set category|platform|tag|note VALUE`
# (PCRE2), applied at import to the records it adds and by `rules apply
# [--dry-run]`; every change audited (show's history names the rule, the
# imported value stays), hand corrections kept, and a bad file names its
# file and line, exits 6 and leaves the vault unchanged.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
mkdir -p "$XDG_CONFIG_HOME/kmvault"
rules="$XDG_CONFIG_HOME/kmvault/rules"

# ---- a bad file: named with its line, exit 6, nothing imported ----------
cat > "$rules" <<'EOF'
# 我的分类规则
match merchant 面馆 -> set category 餐饮
match shop 卡盟 -> set tag 卡盟
EOF
vault_snapshot
expect_exit 6 kmv import "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/err" "$rules:3: unknown field 'shop'"
vault_unchanged
expect_exit 6 kmv rules apply
expect_in "$T/err" "$rules:3: unknown field 'shop'"
printf 'match merchant (面馆 -> set category 餐饮\n' > "$T/bad.rules"
expect_exit 6 kmv rules apply --rules "$T/bad.rules"
expect_in "$T/err" "bad.rules:1: bad pattern '(面馆': missing closing parenthesis"
printf 'match merchant 面馆 -> set colour 红\n' > "$T/bad.rules"
expect_exit 6 kmv rules apply --dry-run --rules "$T/bad.rules"
expect_in "$T/err" "bad.rules:1: cannot set 'colour'"
printf 'match merchant 面馆 set category 餐饮\n' > "$T/bad.rules"
expect_exit 6 kmv import --category-rules "$T/bad.rules" "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/err" "bad.rules:1: no '-> set WHAT VALUE'"
vault_unchanged
expect_exit 7 kmv rules apply --rules "$T/none.rules"
expect_in "$T/err" "no rules file '$T/none.rules'"
expect_exit 2 kmv rules apply --bogus
expect_in "$T/err" "unknown option '--bogus' for 'rules apply'"
vault_unchanged

# ---- at import: the default file on the records added --------------------
cat > "$rules" <<'EOF'
# 我的分类规则
match merchant 面馆|餐厅 -> set category 餐饮
match text 点卡 → set category 游戏
match text 点卡 -> set tag 游戏卡
match merchant ^示例超市$ -> set note 日用品
EOF
expect_exit 0 kmv import --dry-run "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/err" "5 changes would be made to 4 of 5 new records"
vault_unchanged
expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/err" "rules $rules: 5 changes made to 4 of 5 new records"
expect_exit 0 kmv --json query --merchant 示例面馆
expect_in "$T/out" '"category":"餐饮"'
expect_exit 0 kmv --json show T100000000000000001
expect_in "$T/out" '"imported":{"category":"餐饮美食"}'
expect_in "$T/out" '"action":"edit","field":"category","rule":"rules:2","old":"餐饮美食","new":"餐饮"'
expect_exit 0 kmv show T100000000000000001
expect_in "$T/out" 'category: 餐饮美食 -> 餐饮 (rule rules:2)'
expect_exit 0 kmv --json query --tag 游戏卡
expect_in "$T/out" '"payment_no":"2024031522001100009999000003"'
# the order export: only its own records are new
expect_exit 0 kmv import --platform 示例卡盟 "$SAMPLES/orders_example-shop.csv"
expect_in "$T/err" "of 3 new records"
expect_exit 0 kmv check

# ---- rules apply: a dry run lists, the run changes, a rerun finds nothing --
cat > "$T/more.rules" <<'EOF'
match platform ^示例卡盟$ -> set tag 卡盟
match amount ^48\.50$ -> set note 五十元点卡
match kind ^order$ -> set category 游戏
match merchant 面馆 -> set category 午饭
EOF
vault_snapshot
expect_exit 0 kmv rules apply --dry-run --rules "$T/more.rules"
grep -q '^#7 *category *- *游戏 *more.rules:3$' "$T/out" || { cat "$T/out" >&2; fail "dry run lacks #7's category"; }
expect_in "$T/err" 'dry run: nothing was changed'
vault_unchanged
expect_exit 0 kmv --json rules apply --dry-run --rules "$T/more.rules"
expect_in "$T/out" '"dry_run":true'
expect_in "$T/out" '"field":"category","old":"餐饮","new":"午饭","rule":"more.rules:4"'
vault_unchanged
# a hand correction is never overridden by a rule
expect_exit 0 kmv edit T100000000000000001 --category 工作餐
expect_exit 0 kmv --json rules apply --rules "$T/more.rules"
expect_in "$T/out" '"kept":1'
expect_not_in "$T/out" '"new":"午饭"'
expect_exit 0 kmv --json query --merchant 示例面馆
expect_in "$T/out" '"category":"工作餐"'
expect_exit 0 kmv --json query --tag 卡盟 --kind order
[ "$(grep -o '"kind":"order"' "$T/out" | wc -l)" = 3 ] || fail "three orders tagged 卡盟"
expect_exit 0 kmv --json query --kind order
expect_in "$T/out" '"category":"游戏"'
vault_snapshot
expect_exit 0 kmv rules apply --rules "$T/more.rules"
expect_in "$T/err" '0 changes made'
vault_unchanged
# every change is an audit event naming its rule; the chain holds
expect_exit 0 kmv --json log
expect_in "$T/out" '"rule":"more.rules:1"'
expect_exit 0 kmv check
expect_in "$T/err" 'integrity ok'
# --quiet: nothing printed
printf 'match merchant 超市 -> set tag 超市\n' > "$T/q.rules"
expect_exit 0 kmv --quiet rules apply --rules "$T/q.rules"
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "--quiet rules apply printed"
expect_exit 0 kmv --json query --tag 超市
expect_in "$T/out" '"merchant":"示例超市"'
echo "ok"
