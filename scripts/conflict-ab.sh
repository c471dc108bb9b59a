#!/usr/bin/env bash
# The online test of the conflict issue, end to end through a running Fulcrum's REST API:
#
#  1. a VIDEO_SIMULATOR dataset of the chosen world (the sweep's ρ = -0.5 unless WORLD says otherwise),
#     drawn as `reproduce video` draws seed SEED's data (world seed SEED, stream seed 1000 + SEED,
#     a random 80/10/10 split of seed SEED);
#  2. a study of MMoE and PLE, parameter-matched, with `reproduce video`'s training settings, one seed;
#  3. MMoE registered as version 1 (champion), PLE as version 2, a surface scoring vtr · vcr, and an
#     experiment MMoE (control) against PLE at 50/50, driven by `simulate-ab` with the replay's
#     expected lifts (EXPECTED) so that it prints the users needed for three standard errors
#     (AB_USERS=0 skips it);
#  4. AA_REPEATS A/A experiments (PLE against PLE, a fresh salt and user seed each), each read once at
#     its end, and the share whose intervals exclude zero, per metric.
#
# Needs curl, jq, the built jar, and a server started with FULCRUM_ADMIN_PASSWORD set, e.g.
#   FULCRUM_ADMIN_PASSWORD=change-me-please java -jar backend/target/fulcrum.jar &
#   FULCRUM_ADMIN_PASSWORD=change-me-please scripts/conflict-ab.sh
# Everything it creates is named conflict-<stamp>; figures go to OUT (default ./conflict-ab-<stamp>).
set -euo pipefail

SERVER=${SERVER:-http://localhost:8080}
JAR=${JAR:-backend/target/fulcrum.jar}
SEED=${SEED:-1}
IMPRESSIONS=${IMPRESSIONS:-200000}
WORLD=${WORLD:-'{"conflict": {"taskCorrelation": -0.5}}'}
AB_USERS=${AB_USERS:-10000}
AB_DAYS=${AB_DAYS:-3}
THREADS=${THREADS:-4}
EXPECTED=${EXPECTED:-}
AA_REPEATS=${AA_REPEATS:-20}
AA_USERS=${AA_USERS:-1000}
AA_DAYS=${AA_DAYS:-1}
: "${FULCRUM_ADMIN_PASSWORD:?set FULCRUM_ADMIN_PASSWORD to the admin password the server was started with}"

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-conflict-ab-$STAMP}
mkdir -p "$OUT"
JAR=$(realpath "$JAR")
log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

# --- a personal token and a serving token, from a signed-in session ---------------------------
COOKIES=$(mktemp)
trap 'rm -f "$COOKIES"' EXIT
csrf=$(curl -sf -c "$COOKIES" -b "$COOKIES" "$SERVER/sign-in" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sf -o /dev/null -c "$COOKIES" -b "$COOKIES" -X POST "$SERVER/sign-in" \
    --data-urlencode "username=admin" --data-urlencode "password=$FULCRUM_ADMIN_PASSWORD" --data-urlencode "_csrf=$csrf"
page=$(curl -sf -c "$COOKIES" -b "$COOKIES" "$SERVER/account")
csrf=$(sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
[ -n "$csrf" ] || { echo "could not sign in as admin at $SERVER (is FULCRUM_ADMIN_PASSWORD right?)" >&2; exit 1; }
token() {
    curl -sf -c "$COOKIES" -b "$COOKIES" -H "X-CSRF-TOKEN: $csrf" -H 'Content-Type: application/json' \
        -X POST "$SERVER/api/tokens" -d "{\"name\": \"conflict-$STAMP-$1\", \"kind\": \"$1\"}" | jq -r .secret
}
export FULCRUM_TOKEN FULCRUM_SERVING_TOKEN
FULCRUM_TOKEN=$(token PERSONAL)
FULCRUM_SERVING_TOKEN=$(token SERVING)

# api METHOD PATH [BODY]: the response body; a status of 400 or more stops the script with it
api() {
    local body status
    body=$(mktemp)
    status=$(curl -s -o "$body" -w '%{http_code}' -X "$1" "$SERVER$2" -H "Authorization: Bearer $FULCRUM_TOKEN" \
        -H 'Content-Type: application/json' ${3:+-d "$3"})
    if [ "$status" -ge 400 ]; then
        echo "$1 $2 answered $status: $(cat "$body")" >&2
        rm -f "$body"
        exit 1
    fi
    cat "$body"
    rm -f "$body"
}

# --- 1. the dataset ----------------------------------------------------------------------------
log "drawing $IMPRESSIONS impressions of the world $WORLD (seed $SEED)"
dataset=$(api POST /api/datasets "$(jq -n --arg name "conflict-$STAMP" --argjson world "$WORLD" \
    --argjson n "$IMPRESSIONS" --argjson seed "$SEED" \
    '{name: $name, kind: "VIDEO_SIMULATOR",
      spec: {impressions: $n, worldSeed: $seed, streamSeed: (1000 + $seed), world: $world},
      split: {by: "random", seed: $seed, train: 0.8, validation: 0.1, test: 0.1}}')" | jq .id)
group=$(api GET '/api/task-groups?size=200' | jq '.items[] | select(.name == "VTR+VCR") | .id')

# --- 2. the study -----------------------------------------------------------------------------
log "training MMoE, PLE and the single-task baseline on dataset $dataset"
study=$(api POST /api/studies "$(jq -n --arg name "conflict-$STAMP" --argjson group "$group" \
    --argjson dataset "$dataset" --argjson seed "$SEED" \
    '{name: $name, taskGroupId: $group, datasetId: $dataset, seeds: [$seed], matchParameters: true,
      models: [
        {architecture: "mmoe", experts: {shared: 6, perTask: 2, units: [64]}, bottomUnits: [64],
         towerUnits: [32], levels: 2},
        {architecture: "ple", experts: {shared: 2, perTask: 2, units: [64]}, bottomUnits: [64],
         towerUnits: [32], levels: 2}],
      training: {epochs: 10, batchSize: 512, learningRate: 0.002, patience: 2, monitor: "loss",
                 maxEmbeddingDim: 8, seed: $seed}}')" | jq .id)
while api GET "/api/studies/$study" | jq -e '[.runs[].state] | any(. == "QUEUED" or . == "RUNNING" or . == "LEASED")' >/dev/null; do
    sleep 5
done
api GET "/api/studies/$study" >"$OUT/study.json"
api GET "/api/studies/$study/comparison" >"$OUT/comparison.json"
jq -e '[.runs[].state] | all(. == "SUCCEEDED")' "$OUT/study.json" >/dev/null \
    || { echo "a run of study $study did not succeed: $(jq -c '.runs' "$OUT/study.json")" >&2; exit 1; }
jq -r '.models[] | "\(.model): \(.parameters) parameters, test VTR AUC \(.tasks.vtr.value.mean), VCR MSE \(.tasks.vcr.value.mean)"' \
    "$OUT/comparison.json" | tee "$OUT/offline.txt"
run_of() { jq --arg m "$1" '.runs[] | select(.model == $m) | .id' "$OUT/study.json"; }

# --- 3. the A/B test ----------------------------------------------------------------------------
model="conflict-$STAMP"
api POST "/api/models/$model/versions" "{\"runId\": $(run_of mmoe)}" >"$OUT/version-1.json"
api POST "/api/models/$model/versions" "{\"runId\": $(run_of ple)}" >"$OUT/version-2.json"
api PUT "/api/models/$model/aliases/champion" '{"version": 1}' >/dev/null
surface="conflict-$STAMP"
api POST /api/surfaces "{\"name\": \"$surface\", \"modelName\": \"$model\", \"scoring\": {\"exponents\": {\"vtr\": 1, \"vcr\": 1}}}" >/dev/null

experiment() { # experiment NAME CONTROL_VERSION TREATMENT_VERSION: its id, started
    local id
    id=$(api POST /api/ab-experiments "$(jq -n --arg name "$1" --arg surface "$surface" \
        --argjson c "$2" --argjson t "$3" \
        '{name: $name, surface: $surface, targetMetric: "views_per_user",
          variants: [{name: "control", control: true, modelVersion: $c, allocationBps: 5000},
                     {name: "treatment", control: false, modelVersion: $t, allocationBps: 5000}]}')" | jq .id)
    api POST "/api/ab-experiments/$id/start" '{}' >/dev/null
    echo "$id"
}

if [ "$AB_USERS" -gt 0 ]; then
    ab=$(experiment "conflict-$STAMP-ab" 1 2)
    log "A/B experiment $ab: MMoE (control) against PLE, $AB_USERS users × $AB_DAYS days"
    java -jar "$JAR" simulate-ab --server "$SERVER" --experiment "$ab" --users "$AB_USERS" --days "$AB_DAYS" \
        --seed "$SEED" --threads "$THREADS" ${EXPECTED:+--expected-lift "$EXPECTED"} | tee "$OUT/ab.txt"
    api POST "/api/ab-experiments/$ab/stop" '{}' >/dev/null
fi

# --- 4. the A/A repeats -------------------------------------------------------------------------
if [ "$AA_REPEATS" -lt 1 ]; then
    log "done (no A/A repeats asked for); figures in $OUT"
    exit 0
fi
for r in $(seq 1 "$AA_REPEATS"); do
    aa=$(experiment "conflict-$STAMP-aa-$r" 2 2)
    log "A/A repeat $r of $AA_REPEATS: experiment $aa, $AA_USERS users × $AA_DAYS days"
    java -jar "$JAR" simulate-ab --server "$SERVER" --experiment "$aa" --users "$AA_USERS" --days "$AA_DAYS" \
        --seed $((1000 + r)) --threads "$THREADS" --format json >"$OUT/aa-repeat-$r.json"
    api POST "/api/ab-experiments/$aa/stop" '{}' >/dev/null
done
# per metric: the repeats, those with an interval (none while a variant's metric does not vary),
# and how many of those exclude zero or have p < 0.05
jq -s '[.[].results.comparisons[]]
       | group_by(.metric)
       | map({metric: .[0].metric, repeats: length,
              withInterval: (map(select(.ciLow != null)) | length),
              excludingZero: (map(select(.ciLow != null and (.ciLow > 0 or .ciHigh < 0))) | length),
              significant: (map(select(.significant)) | length)})
       | map(. + {rate: (if .withInterval > 0 then .excludingZero / .withInterval else null end)})' \
    "$OUT"/aa-repeat-*.json | tee "$OUT/aa-summary.json"
log "done; figures in $OUT"
