#!/usr/bin/env bash
# Rows per second of `migrate` and `reencrypt` with 1, 2 and 4 shard processes on a local PostgreSQL.
#
#   mvn -q -B package -DskipTests          # builds target/envelope-jdbc-<version>-cli.jar
#   benchmarks/cli/throughput.sh [rows] [shard counts...]     # default: 100000 rows, shards 1 2 4
#
# Environment: PGURL (psql connection string, default postgresql://postgres@127.0.0.1:5432/test),
# JDBC_URL (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres), BATCH (rows per transaction, 1000),
# JAVA_OPTS (every command), WORKER_OPTS (only the migrate and reencrypt shard workers, e.g.
# -XX:StartFlightRecording=filename=/tmp/w.jfr,settings=profile with one shard), SHOW=1 to print every output.
# Each run gets a fresh schema holding a table (id bigint primary key, email text, note bytea) filled with
# plaintext, two accept-plaintext columns (email deterministic, note randomized). It times `migrate` across the
# shards, then `keys rotate` and `reencrypt --start`, the `reencrypt --shard` workers, and `reencrypt --finish`.
# Rates count rows (two values each) over the wall-clock time of the shard workers, JVM start-up included.
set -euo pipefail
ROWS=${1:-100000}
shift || true
SHARD_COUNTS=${*:-1 2 4}
PGURL=${PGURL:-postgresql://postgres@127.0.0.1:5432/test}
JDBC_URL=${JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
BATCH=${BATCH:-1000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$(ls "$ROOT"/target/envelope-jdbc-*-cli.jar | head -1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
head -c 32 /dev/urandom | base64 > "$WORK/master.key"

cli() { java ${JAVA_OPTS:-} -jar "$JAR" "$@"; }
worker() { java ${JAVA_OPTS:-} ${WORKER_OPTS:-} -jar "$JAR" "$@"; }
now() { date +%s.%N; }
# waits for every background worker; a failed one stops the benchmark with its output
wait_all() {
  local failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  pids=()
  if [ "$failed" = 1 ]; then echo "a worker failed:" >&2; cat "$WORK"/*.out >&2; exit 1; fi
}
pids=()
rate() { awk -v r="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", r / (b - a) }'; }

for n in $SHARD_COUNTS; do
  schema="bench_cli_${n}_$$"
  psql -q "$PGURL" -v ON_ERROR_STOP=1 <<SQL
DROP SCHEMA IF EXISTS $schema CASCADE;
CREATE SCHEMA $schema;
CREATE TABLE $schema.t (id bigint PRIMARY KEY, email text, note bytea);
INSERT INTO $schema.t SELECT i, 'user' || i || '@example.com', convert_to('a note about customer ' || i, 'UTF8')
  FROM generate_series(1, $ROWS) AS i;
VACUUM ANALYZE $schema.t;
SQL
  cat > "$WORK/envelope.yaml" <<YAML
version: 1
kms:
  provider: local
  master-key-file: $WORK/master.key
key-table: $schema.envelope_data_keys
key-cache:
  ttl: 2s
tables:
  $schema.t:
    columns:
      email: { mode: deterministic, accept-plaintext: true }
      note:  { mode: randomized, accept-plaintext: true }
YAML
  common=(--table "$schema.t" --batch-size "$BATCH" --config "$WORK/envelope.yaml" --url "$JDBC_URL")

  t0=$(now)
  for ((i = 0; i < n; i++)); do
    worker migrate "${common[@]}" --shard "$i/$n" > "$WORK/migrate-$i.out" 2>&1 &
    pids+=($!)
  done
  wait_all
  t1=$(now)

  cli keys rotate --table "$schema.t" --config "$WORK/envelope.yaml" --url "$JDBC_URL" > /dev/null 2>&1
  sleep 2
  cli reencrypt --start "${common[@]}" > "$WORK/start.out" 2>&1
  t2=$(now)
  for ((i = 0; i < n; i++)); do
    worker reencrypt "${common[@]}" --shard "$i/$n" > "$WORK/reencrypt-$i.out" 2>&1 &
    pids+=($!)
  done
  wait_all
  t3=$(now)
  cli reencrypt --finish "${common[@]}" > "$WORK/finish.out" 2>&1
  t4=$(now)
  grep -q "Retired version(s) \[1\]" "$WORK/finish.out" || { cat "$WORK"/*.out; exit 1; }

  echo "shards=$n rows=$ROWS migrate: $(rate "$ROWS" "$t0" "$t1") rows/s (both passes: encrypting, verifying);" \
       "reencrypt shards: $(rate "$ROWS" "$t2" "$t3") rows/s; reencrypt --finish (ttl wait, catch-up, verify):" \
       "$(awk -v a="$t3" -v b="$t4" 'BEGIN { printf "%.1f", b - a }') s"
  for ((i = 0; i < n; i++)); do
    echo "  shard $i/$n migrate:   $(grep -h '^encrypting: .* rows in' "$WORK/migrate-$i.out")"
    echo "  shard $i/$n reencrypt: $(grep -h '^encrypting: .* rows in' "$WORK/reencrypt-$i.out")"
  done
  if [ -n "${SHOW:-}" ]; then cat "$WORK/migrate-0.out" "$WORK/reencrypt-0.out" "$WORK/finish.out"; fi
  psql -q "$PGURL" -c "DROP SCHEMA $schema CASCADE"
done
