# make-client-cert.sh: alice.crt and alice.key for the user alice, signed by ca.crt and ca.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out alice.key
openssl req -new -key alice.key -subj "/CN=alice" -out alice.csr
printf 'extendedKeyUsage = clientAuth\n' >alice.ext
openssl x509 -req -in alice.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -sha256 \
  -extfile alice.ext -out alice.crt
rm alice.csr alice.ext
