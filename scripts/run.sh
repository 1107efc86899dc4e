#!/usr/bin/env bash
# `make run`: starts the local stack with its data under $DATA: one
# `cruddur serve` process with the DynamoDB-compatible engine and the local
# Cognito user pool on :$PORT (8000) and the Cruddur API on :$API_PORT (4567).
# On first start it creates and seeds the messages table, the users database
# and the pool's dev users (their sign-in is printed); later starts reuse what
# is there. Ctrl-C (or SIGTERM) stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
API_PORT=${API_PORT:-4567}
DATA=${DATA:-./data}
mkdir -p "$DATA"
exec ./build/bin/cruddur serve --data "$DATA" --ddb-port "$PORT" --api-port "$API_PORT"
