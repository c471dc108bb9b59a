#!/usr/bin/env bash
# Trains the benchmark PLE (bench train's spec) on the CPU and on the GPU with the same jar and prints
# their samples/s side by side: the check a person with a GPU machine runs. It needs a jar whose
# PyTorch natives are a CUDA build (backend/target/cuda/fulcrum-cuda.jar when present); with the CPU-only
# jar the GPU half says that the engine sees no GPU.
#
#   scripts/gpu-check.sh [JAR] [--models ple] [--steps 20] ...   (extra options go to bench train)
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${1:-}"
if [[ -z "$jar" || "$jar" == --* ]]; then
  jar=backend/target/cuda/fulcrum-cuda.jar
  [[ -f "$jar" ]] || jar=backend/target/fulcrum.jar
else
  shift
fi
[[ -f "$jar" ]] || { echo "no jar at $jar: build it first (./mvnw -B -DskipTests package)" >&2; exit 2; }
options=("$@")
[[ ${#options[@]} -gt 0 ]] || options=(--models ple)
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "(nvidia-smi: none)"
for device in cpu gpu; do
  echo "== $device ($jar)"
  if java -jar "$jar" bench train --device "$device" --format json "${options[@]}" > "/tmp/gpu-check-$device.json" 2> "/tmp/gpu-check-$device.err"; then
    python3 - "$device" "/tmp/gpu-check-$device.json" <<'PY'
import json, sys
device, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
for m in r["results"]:
    print(f'{device}: {m["model"]}: train {m["trainSamplesPerSec"]:.0f} samples/s, infer {m["inferSamplesPerSec"]:.0f} samples/s'
          f' ({r["engine"]} on {r["device"]}, batch {r["batch"]})')
PY
  else
    echo "$device: not run: $(grep -m1 '^error' "/tmp/gpu-check-$device.err" || tail -1 "/tmp/gpu-check-$device.err")"
  fi
done
