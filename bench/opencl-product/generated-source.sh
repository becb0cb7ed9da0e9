#!/usr/bin/env bash
# Writes the OpenCL program Aparapi generates for the CPU-form training kernel of the current
# working tree to FILE: builds the application if needed, runs a two-epoch wind-cpu fit on
# --device opencl with Aparapi's source dump switched on, and keeps the first generated
# program (the CPU-form CpuNetworkKernel; the GPU form is not built on a CPU driver).
# Usage: bench/opencl-product/generated-source.sh FILE
set -euo pipefail
out=${1:?usage: generated-source.sh FILE}
root=$(cd "$(dirname "$0")/../.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
BAYESNF_JAVA_OPTS="-Xss8m -Dcom.aparapi.enableShowGeneratedOpenCL=true" \
  "$root/bayesnf" bench --config wind-cpu --device opencl --epochs 1 --ensemble 2 >"$log" 2>&1 || {
  tail -5 "$log" >&2
  exit 1
}
awk '/^typedef struct This_s/ { on = 1 }
     on { print }
     on && /^__kernel void run\(/ { k = 1 }
     on && k && /^}$/ { exit }' "$log" >"$out"
grep -q '^__kernel void run(' "$out" || { echo "no generated program found" >&2; exit 1; }
echo "$out: $(wc -l <"$out") lines"
