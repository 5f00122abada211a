# Fill the scenario vault with the report/evidence fixture rows (sourced).
# The rows are stored by `test_helper fill-vault` (tests/helpers/test_helper.c,
# kmv_fix_report_vault of tests/unit/fixture.c, the unit tests' report vault):
# two shop orders with card secrets, an Alipay payment with a 28-digit trade
# number, a refund, an April payment, a link and a timeline.
kmv_fixture() {
	_fx="$KMV_BUILD/tests/test_helper"
	[ -x "$_fx" ] || fail "fixture helper $_fx not built"
	"$_fx" fill-vault "$KMVAULT_VAULT" || fail "cannot fill the fixture vault"
}
FIX_ORDER=KM20240315000101
FIX_TRADE=2024031522001100009999000001
