#!/bin/sh
# Makes a cluster CA (once) and a certificate it signs, for running Tessera over TLS with a self-signed CA.
# usage: make-certs.sh DIR NAME SAN... -> DIR/ca.pem, DIR/ca.key (kept if present), DIR/NAME.pem, DIR/NAME.key
# SANs are host names or IP addresses the certificate is valid for. Clients trust DIR/ca.pem (TESSERA_TLS_CA).
set -eu
dir=$1; name=$2; shift 2
[ "$#" -gt 0 ] || { echo "usage: make-certs.sh DIR NAME SAN..." >&2; exit 2; }
cn=$1
mkdir -p "$dir"
umask 077
if [ ! -s "$dir/ca.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj "/CN=Tessera cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
fi
san=""
for h in "$@"; do
  case "$h" in
    *[!0-9.]*) entry="DNS:$h" ;;
    *) entry="IP:$h" ;;
  esac
  san="${san:+$san,}$entry"
done
ext="$dir/$name.ext"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' "$san" > "$ext"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 825 -extfile "$ext" -out "$dir/$name.pem" 2>/dev/null
rm -f "$dir/$name.csr" "$dir/$name.ext"
chmod 644 "$dir/ca.pem" "$dir/$name.pem"
echo "made $dir/$name.pem for $san, signed by $dir/ca.pem"
