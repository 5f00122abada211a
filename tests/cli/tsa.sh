# A local test timestamp authority made with openssl (sourced, POSIX sh).
# tsa_setup DIR: a CA and a TSA certificate (extendedKeyUsage critical,
# timeStamping) plus an `openssl ts` config, all under DIR.
# tsa_reply DIR QUERY.tsq REPLY.tsr: answer a query.  No network.

tsa_setup() {
	_d=$1
	mkdir -p "$_d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=kmvault test CA" \
		-keyout "$_d/ca.key" -out "$_d/ca.pem" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=kmvault test TSA" \
		-keyout "$_d/tsa.key" -out "$_d/tsa.csr" >/dev/null 2>&1
	printf 'extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' \
		> "$_d/tsa.ext"
	openssl x509 -req -in "$_d/tsa.csr" -CA "$_d/ca.pem" -CAkey "$_d/ca.key" \
		-CAcreateserial -days 3650 -extfile "$_d/tsa.ext" -out "$_d/tsa.pem" >/dev/null 2>&1
	echo 01 > "$_d/serial"
	cat > "$_d/tsa.cnf" <<CNF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $_d
serial = \$dir/serial
crypto_device = builtin
signer_cert = \$dir/tsa.pem
certs = \$dir/ca.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5.6
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
}

tsa_reply() {
	openssl ts -reply -config "$1/tsa.cnf" -queryfile "$2" -out "$3" >/dev/null 2>&1
}
