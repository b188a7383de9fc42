#!/usr/bin/env bash
# Puts Cloud CDN and an HTTPS load balancer in front of gs://$BUCKET, adding
# the security headers of headers.txt to every response (a bucket sends
# none: no frame-ancestors, nosniff or Referrer-Policy otherwise).
#
#   PROJECT_ID=my-project BUCKET=versus-site DOMAIN=versus.example sync/deploy/cdn.sh
#
# Idempotent: run it again after changing headers.txt. The CDN keeps each
# object's own Cache-Control (immutable snapshots, a no-cache pointer and
# pages). Point DOMAIN's A record at the address it prints.
set -euo pipefail

: "${PROJECT_ID:?set PROJECT_ID}" "${BUCKET:?set BUCKET}" "${DOMAIN:?set DOMAIN}"
NAME="${NAME:-versus-site}"
HERE="$(cd "$(dirname "$0")" && pwd)"
gcloud config set project "$PROJECT_ID" >/dev/null

headers=()
while IFS= read -r line; do
  case "$line" in '' | '#'*) continue ;; esac
  headers+=("--custom-response-header=$line")
done <"$HERE/headers.txt"

# The bucket's website: index.html for /, the app shell for any other address.
gcloud storage buckets update "gs://${BUCKET}" --web-main-page-suffix=index.html --web-error-page=404.html

verb=create
gcloud compute backend-buckets describe "$NAME" >/dev/null 2>&1 && verb=update
gcloud compute backend-buckets "$verb" "$NAME" --gcs-bucket-name="$BUCKET" \
  --enable-cdn --cache-mode=USE_ORIGIN_HEADERS "${headers[@]}"

exists() { gcloud compute "$1" describe "$NAME" --global >/dev/null 2>&1; }
exists url-maps || gcloud compute url-maps create "$NAME" --default-backend-bucket="$NAME" --global
exists ssl-certificates || gcloud compute ssl-certificates create "$NAME" --domains="$DOMAIN" --global
exists target-https-proxies || gcloud compute target-https-proxies create "$NAME" --url-map="$NAME" --ssl-certificates="$NAME" --global
exists addresses || gcloud compute addresses create "$NAME" --global
exists forwarding-rules || gcloud compute forwarding-rules create "$NAME" --global \
  --target-https-proxy="$NAME" --address="$NAME" --ports=443

echo "CDN in front of gs://${BUCKET}: point ${DOMAIN} at $(gcloud compute addresses describe "$NAME" --global --format='value(address)')"
