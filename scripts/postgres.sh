#!/usr/bin/env bash
# Start the local PostgreSQL cluster if it does not answer (this machine kind has one, trust auth).
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
for version in $(ls /etc/postgresql 2>/dev/null); do
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
done
for _ in $(seq 1 20); do
  pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
  sleep 0.5
done
echo "postgres.sh: PostgreSQL does not answer on 127.0.0.1:5432 and could not be started" >&2
exit 1
