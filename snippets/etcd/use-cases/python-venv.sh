# A virtual environment for the Python examples, with the aetcd client library in it.
# (Debian 12 and Ubuntu 24.04 refuse pip install into the system Python: PEP 668.)
python3 -m venv ~/etcd-venv
~/etcd-venv/bin/pip install aetcd==1.0.0
