# Builds one git revision of this project into a cache folder and prints that folder (a checkout whose
# bin/biogpt-spark runs the revision's CLI). Sourced by tools/compare-outputs.sh and tools/bench-ab.sh,
# so both scripts run exactly the same build of a revision.
#
#   build_revision REV          -> prints the checkout folder on stdout, build log on stderr
#
# The checkout is a `git clone --shared` of this repository (no objects copied, nothing added to the
# repository's own worktree list), checked out detached at REV's commit. A finished build is marked with a
# `.built` file and reused by later calls for the same commit: a revision is built once per cache.
# Environment: BIOGPT_BUILD_CACHE (default ${TMPDIR:-/tmp}/biogpt-spark-builds), MVN (default mvn).

REVISION_BUILD_REPO=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
BIOGPT_BUILD_CACHE=${BIOGPT_BUILD_CACHE:-${TMPDIR:-/tmp}/biogpt-spark-builds}

# The full commit id of REV, or an error naming REV.
resolve_revision() {
  git -C "$REVISION_BUILD_REPO" rev-parse --verify --quiet "$1^{commit}" \
    || { echo "no such revision in $REVISION_BUILD_REPO: $1" >&2; return 1; }
}

build_revision() {
  local rev=$1 sha dir log
  sha=$(resolve_revision "$rev") || return 1
  dir=$BIOGPT_BUILD_CACHE/$sha
  if [ -f "$dir/.built" ]; then
    echo "build: $rev ($sha) already built in $dir" >&2
    echo "$dir"; return 0
  fi
  mkdir -p "$BIOGPT_BUILD_CACHE"
  if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir"   # a clone interrupted before checkout; only our own cache folder is touched
    git clone -q --shared --no-checkout "$REVISION_BUILD_REPO" "$dir" >&2 || return 1
  fi
  git -C "$dir" -c advice.detachedHead=false checkout -q --force --detach "$sha" >&2 || return 1
  log=$dir/.build.log
  echo "build: $rev ($sha) in $dir (mvn package, tests skipped; log $log)" >&2
  # Offline: the local Maven repository already holds every dependency; the cluster jar is not needed
  # to run the CLI (bin/biogpt-spark skips it too).
  if ! (cd "$dir" && ${MVN:-mvn} -B -ntp -o -q package -DskipTests -DskipClusterJar >"$log" 2>&1); then
    echo "build of $rev failed; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    return 1
  fi
  touch "$dir/.built"
  echo "$dir"
}
