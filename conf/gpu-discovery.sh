#!/usr/bin/env bash
# Spark GPU discovery script (spark.{executor,worker,driver}.resource.gpu.discoveryScript).
# Prints, in Spark's resource JSON, the GPUs a process started in this environment can use, as the CUDA
# ordinals libtorch will see:  {"name":"gpu","addresses":["0","1"]}
# - GPUs come from `nvidia-smi --query-gpu=index,uuid` (30 s timeout: a wedged driver must not hang executor start).
# - When CUDA_VISIBLE_DEVICES is set (by YARN/Kubernetes isolation or by hand), CUDA renumbers the listed
#   GPUs 0..n-1 and stops at the first entry it does not know; this script does the same, so the addresses
#   Spark hands to tasks are the ordinals the model is placed on. Empty, -1 or NoDevFiles: no GPU.
# - Ordinals follow nvidia-smi's PCI bus order only with CUDA_DEVICE_ORDER=PCI_BUS_ID (set it in the
#   executor environment, as conf/spark-defaults.gpu.conf does).
# Exit 1 with the reason on stderr when nvidia-smi is missing or fails: Spark then refuses to start the
# executor and shows that reason, instead of scheduling GPU tasks on a node without GPUs.
set -euo pipefail

SMI=${NVIDIA_SMI:-nvidia-smi}
if ! command -v "$SMI" >/dev/null 2>&1; then
  echo "gpu-discovery: $SMI not found on PATH: no NVIDIA driver on this node" >&2
  exit 1
fi
if ! listing=$(timeout 30 "$SMI" --query-gpu=index,uuid --format=csv,noheader 2>&1); then
  echo "gpu-discovery: $SMI failed: $listing" >&2
  exit 1
fi

indexes=()
uuids=()
while IFS=, read -r index uuid; do
  index=${index//[[:space:]]/}
  uuid=${uuid//[[:space:]]/}
  [ -z "$index" ] && continue
  if ! [[ $index =~ ^[0-9]+$ ]]; then
    echo "gpu-discovery: unexpected $SMI line: $index,$uuid" >&2
    exit 1
  fi
  indexes+=("$index")
  uuids+=("$uuid")
done <<< "$listing"

# Which listed GPU a CUDA_VISIBLE_DEVICES entry names: an index, a full UUID or a unique UUID prefix.
known() {
  local entry=$1 i matches=0
  for i in "${!indexes[@]}"; do
    if [ "$entry" = "${indexes[$i]}" ] || [[ ${uuids[$i]} == "$entry"* && $entry == GPU-* ]]; then
      matches=$((matches + 1))
    fi
  done
  [ "$matches" -eq 1 ]
}

addresses=()
if [ "${CUDA_VISIBLE_DEVICES+set}" = set ]; then
  visible=${CUDA_VISIBLE_DEVICES//[[:space:]]/}
  if [ -n "$visible" ] && [ "$visible" != "-1" ] && [ "$visible" != NoDevFiles ]; then
    IFS=, read -r -a entries <<< "$visible"
    seen=" "
    for entry in "${entries[@]}"; do
      if ! known "$entry" || [[ $seen == *" $entry "* ]]; then
        break
      fi
      seen="$seen$entry "
      addresses+=("${#addresses[@]}")
    done
  fi
else
  addresses=(${indexes[@]+"${indexes[@]}"})
fi

json=""
for a in ${addresses[@]+"${addresses[@]}"}; do
  json="$json${json:+,}\"$a\""
done
echo "{\"name\":\"gpu\",\"addresses\":[$json]}"
