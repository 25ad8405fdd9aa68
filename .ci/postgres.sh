#!/usr/bin/env bash
# Start a PostgreSQL server for the store tests (Debian's `postgresql` package), listening on
# 127.0.0.1 only, with a role `newsaudit` (trusted on loopback, test use only) that owns the
# database `newsaudit_test`. Idempotent: safe to run again on a machine where it already ran.
# Prints the URL the tests read from $NEWSAUDIT_TEST_POSTGRES.
#   usage: bash .ci/postgres.sh            (as root)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
ROLE=newsaudit
DB=newsaudit_test
PORT=${NEWSAUDIT_TEST_POSTGRES_PORT:-5432}

if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    apt-get install -y -qq postgresql >/dev/null
fi

# The first cluster Debian made (e.g. "15 main"); create one if the package made none.
read -r VER NAME _ < <(pg_lsclusters -h | head -n1) || true
if [ -z "${VER:-}" ]; then
    VER=$(ls /usr/lib/postgresql | sort -n | tail -n1)
    NAME=main
    pg_createcluster "$VER" "$NAME" >/dev/null
fi
CONF=/etc/postgresql/$VER/$NAME
HBA=$CONF/pg_hba.conf

# Loopback only; trust the test role on loopback (the first matching pg_hba line wins).
sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" "$CONF/postgresql.conf"
sed -i "s/^port = .*/port = $PORT/" "$CONF/postgresql.conf"
if ! grep -q "newsaudit-test" "$HBA"; then
    sed -i "1i host all $ROLE 127.0.0.1/32 trust  # newsaudit-test" "$HBA"
fi

if pg_lsclusters -h | awk -v v="$VER" -v n="$NAME" '$1==v && $2==n {print $4}' | grep -q online; then
    pg_ctlcluster "$VER" "$NAME" reload
else
    pg_ctlcluster "$VER" "$NAME" start
fi

for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 1
done
pg_isready -h 127.0.0.1 -p "$PORT"

psql_admin() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qAtc \"$1\""; }
[ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" = 1 ] || psql_admin "CREATE ROLE $ROLE LOGIN"
[ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ] || psql_admin "CREATE DATABASE $DB OWNER $ROLE"

echo "postgresql://$ROLE@127.0.0.1:$PORT/$DB"
