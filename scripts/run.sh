#!/usr/bin/env bash
# `make run`: starts the local stack with its data. The DynamoDB-compatible
# server keeps its data under $DATA/ddb; on first start the messages table is
# created and seeded (the seed's users and conversation), later starts reuse
# what is there. Ctrl-C (or SIGTERM) stops the server cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
DATA=${DATA:-./data}
mkdir -p "$DATA"

./build/bin/ddb-server --port "$PORT" --db-path "$DATA/ddb" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' INT TERM EXIT

for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 $server 2>/dev/null || { echo "run: ddb-server did not start" >&2; exit 1; }
  sleep 0.05
done

export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-local} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-local}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}
export CONNECTION_URL=${CONNECTION_URL:-$DATA/cruddur.sqlite3}
if ! ./bin/ddb/list-tables 2>/dev/null | grep -q "${DDB_MESSAGE_TABLE:-cruddur-messages}"; then
  echo "run: first start: creating and seeding the messages table and the users database"
  ./bin/db/setup >/dev/null
  ./bin/ddb/schema-load >/dev/null
  ./bin/ddb/seed
fi
echo "run: DynamoDB endpoint http://127.0.0.1:$PORT (data: $DATA/ddb); try: AWS_ENDPOINT_URL=http://127.0.0.1:$PORT bin/ddb/patterns/get-conversation"
wait $server
