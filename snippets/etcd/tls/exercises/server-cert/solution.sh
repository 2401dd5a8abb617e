# make-member-cert.sh: m2.crt and m2.key for the member m2, signed by ca.crt and ca.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out m2.key
openssl req -new -key m2.key -subj "/CN=m2" -out m2.csr
cat >m2.ext <<'END'
subjectAltName = IP:127.0.0.2, DNS:m2.etcd.internal
extendedKeyUsage = serverAuth, clientAuth
END
openssl x509 -req -in m2.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -sha256 \
  -extfile m2.ext -out m2.crt
rm m2.csr m2.ext
