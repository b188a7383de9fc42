#!/usr/bin/env bash
# Deploys the sync as a Cloud Run job run every 6 hours by Cloud Scheduler,
# publishing to gs://$BUCKET/data. The bucket also holds the static site; the
# sync's state (star history, ETag cache) goes to the private bucket
# gs://$STATE_BUCKET (default $BUCKET-state).
#
#   PROJECT_ID=my-project REGION=europe-west1 BUCKET=versus-site sync/deploy/deploy.sh
#
# Idempotent: run it again to ship a new image. The GitHub token is read
# from stdin the first time only:  printf %s "$TOKEN" | sync/deploy/deploy.sh
set -euo pipefail

: "${PROJECT_ID:?set PROJECT_ID}" "${REGION:?set REGION}" "${BUCKET:?set BUCKET}"
SCHEDULE="${SCHEDULE:-0 */6 * * *}"
STATE_BUCKET="${STATE_BUCKET:-${BUCKET}-state}"
REPO="${REGION}-docker.pkg.dev/${PROJECT_ID}/versus"
IMAGE="${REPO}/sync:$(git rev-parse --short HEAD)"
SA="versus-sync@${PROJECT_ID}.iam.gserviceaccount.com"
INVOKER="versus-scheduler@${PROJECT_ID}.iam.gserviceaccount.com"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
gcloud config set project "$PROJECT_ID" >/dev/null

gcloud services enable run.googleapis.com cloudscheduler.googleapis.com \
  secretmanager.googleapis.com artifactregistry.googleapis.com cloudbuild.googleapis.com

# The bucket: site and snapshot, readable by everyone (objects carry their
# own Cache-Control: immutable snapshots, no-cache latest.json).
if ! gcloud storage buckets describe "gs://${BUCKET}" >/dev/null 2>&1; then
  gcloud storage buckets create "gs://${BUCKET}" --location "$REGION" --uniform-bucket-level-access
  gcloud storage buckets add-iam-policy-binding "gs://${BUCKET}" \
    --member allUsers --role roles/storage.objectViewer
fi

# The state bucket: private (no public binding). The ETag cache holds whole
# API answers fetched with the token.
if ! gcloud storage buckets describe "gs://${STATE_BUCKET}" >/dev/null 2>&1; then
  gcloud storage buckets create "gs://${STATE_BUCKET}" --location "$REGION" \
    --uniform-bucket-level-access --public-access-prevention
fi

# Service accounts: the job writes the bucket and reads the token; the
# scheduler may only start the job.
for acct in versus-sync versus-scheduler; do
  gcloud iam service-accounts describe "${acct}@${PROJECT_ID}.iam.gserviceaccount.com" >/dev/null 2>&1 ||
    gcloud iam service-accounts create "$acct"
done
for b in "$BUCKET" "$STATE_BUCKET"; do
  gcloud storage buckets add-iam-policy-binding "gs://${b}" \
    --member "serviceAccount:${SA}" --role roles/storage.objectAdmin >/dev/null
done

# The GitHub token lives in Secret Manager, never in the job definition.
if ! gcloud secrets describe versus-github-token >/dev/null 2>&1; then
  gcloud secrets create versus-github-token --replication-policy automatic
  gcloud secrets versions add versus-github-token --data-file=-
fi
gcloud secrets add-iam-policy-binding versus-github-token \
  --member "serviceAccount:${SA}" --role roles/secretmanager.secretAccessor >/dev/null

# The image.
gcloud artifacts repositories describe versus --location "$REGION" >/dev/null 2>&1 ||
  gcloud artifacts repositories create versus --location "$REGION" --repository-format docker
cat >"$ROOT/cloudbuild.tmp.yaml" <<YAML
steps:
  - name: gcr.io/cloud-builders/docker
    args: ["build", "-f", "sync/deploy/Dockerfile", "-t", "${IMAGE}", "."]
images: ["${IMAGE}"]
YAML
JOB_YAML="$(mktemp)"
trap 'rm -f "$ROOT/cloudbuild.tmp.yaml" "$JOB_YAML"' EXIT
gcloud builds submit "$ROOT" --config "$ROOT/cloudbuild.tmp.yaml"

# The job.
sed -e "s|PROJECT_ID|${PROJECT_ID}|g" -e "s|STATE_BUCKET|${STATE_BUCKET}|g" -e "s|BUCKET|${BUCKET}|g" -e "s|IMAGE|${IMAGE}|g" \
  "$HERE/job.yaml" >"$JOB_YAML"
gcloud run jobs replace "$JOB_YAML" --region "$REGION"
gcloud run jobs add-iam-policy-binding versus-sync --region "$REGION" \
  --member "serviceAccount:${INVOKER}" --role roles/run.invoker >/dev/null

# The schedule: Cloud Scheduler calls the Cloud Run Admin API to run the job.
URI="https://run.googleapis.com/v2/projects/${PROJECT_ID}/locations/${REGION}/jobs/versus-sync:run"
verb=create
gcloud scheduler jobs describe versus-sync --location "$REGION" >/dev/null 2>&1 && verb=update
gcloud scheduler jobs "$verb" http versus-sync --location "$REGION" \
  --schedule "$SCHEDULE" --time-zone Etc/UTC --http-method POST --uri "$URI" \
  --oauth-service-account-email "$INVOKER"

echo "deployed ${IMAGE}; run now with: gcloud run jobs execute versus-sync --region ${REGION} --wait"
