#!/usr/bin/env bash
# The one-stop shop benchmarks at several table sizes (bench/RESULTS.md reports them).
# Each database is prepared with bench/seed_dossiers.py (see RESULTS.md); run on a quiet
# machine:  bash bench/onestop.sh egov_b10k egov_b100k egov_b1m
set -euo pipefail
cd "$(dirname "$0")/.."
quiet() { grep -v -i -e warning -e mw_instance || true; }
for db in "$@"; do
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
  echo "== $db"
  .venv/bin/python manage.py migrate -v0 2>&1 | quiet
  .venv/bin/python bench/intake.py --wrk --seconds 15 --clients 16 --workers 4 2>&1 | quiet
  .venv/bin/python bench/reads.py --requests 400 2>&1 | quiet
done
