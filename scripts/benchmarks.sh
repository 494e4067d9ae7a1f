#!/usr/bin/env bash
# Runs every process benchmark and rewrites the figures of docs/benchmarks.md (between its benchmarks:figures and
# benchmarks:profile markers): the mesh as separate bin/seamcast processes (3 runs over TCP, 1 over UDP, 1 over
# Aeron, 250 mounts), the edge against icecast2 for 100 and 500 listeners, and a profiled mesh run. About 8 minutes
# (27 with --settle-jit); nothing is left running, even when a run fails or this script is interrupted.
#
#   scripts/benchmarks.sh                 # everything, rewrites docs/benchmarks.md
#   scripts/benchmarks.sh --no-doc ...    # leave the document alone; other options go to BenchmarkSuite, e.g.
#                                         # --mesh-runs 1 --udp-runs 0 --aeron-runs 0 --listeners 100 --no-profile
#
# Needs: seamcast-cli/target/seamcast.jar and benchmarks/target/seamcast-benchmarks.jar
# (mvn -q -B package -pl seamcast-cli,benchmarks -am -DskipTests), icecast2 and ffmpeg (apt-get install icecast2
# ffmpeg), jcmd (the JDK). async-profiler comes from Maven Central (tools.profiler:async-profiler); without it the
# CPU profile is JFR's.
set -euo pipefail

home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$home"

async_profiler_version=3.0
build="mvn -q -B package -pl seamcast-cli,benchmarks -am -DskipTests"
bench_jar=benchmarks/target/seamcast-benchmarks.jar

doc=docs/benchmarks.md
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-doc" ]; then
    doc=""
  else
    args+=("$arg")
  fi
done

missing=()
[ -f seamcast-cli/target/seamcast.jar ] || missing+=("seamcast-cli/target/seamcast.jar")
[ -f "$bench_jar" ] || missing+=("$bench_jar")
if [ ${#missing[@]} -gt 0 ]; then
  echo "benchmarks: missing ${missing[*]}; build with: $build" >&2
  exit 2
fi
for tool in java jcmd icecast2 ffmpeg runuser; do
  if ! command -v "$tool" > /dev/null; then
    echo "benchmarks: no $tool on the PATH (icecast2 and ffmpeg: apt-get install icecast2 ffmpeg)" >&2
    exit 2
  fi
done
ap_jar="$HOME/.m2/repository/tools/profiler/async-profiler/$async_profiler_version/async-profiler-$async_profiler_version.jar"
if [ ! -f "$ap_jar" ]; then
  mvn -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$async_profiler_version" > /dev/null 2>&1 \
    || echo "benchmarks: async-profiler not available; the CPU profile will be JFR's (Java frames only)" >&2
fi

out="benchmarks/target/bench-runs/suite-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
suite_pid=""

# Ends the suite's JVM (its shutdown hook ends the nodes), then whatever a killed JVM may have left: every pid the
# runs recorded that still runs one of our programs.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$suite_pid" ] && kill -0 "$suite_pid" 2> /dev/null; then
    kill -TERM "$suite_pid" 2> /dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$suite_pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -KILL "$suite_pid" 2> /dev/null || true
  fi
  local pidfile pid name
  for pidfile in "$out"/*/pids; do
    [ -f "$pidfile" ] || continue
    while read -r pid name; do
      if [ -r "/proc/$pid/cmdline" ] \
        && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -Eq 'seamcast|icecast2|ffmpeg|runuser'; then
        echo "benchmarks: ending $name (pid $pid) left by an interrupted run" >&2
        local child
        for child in $(cat /proc/"$pid"/task/*/children 2> /dev/null); do
          kill -TERM "$child" 2> /dev/null || true
        done
        kill -TERM "$pid" 2> /dev/null || true
        sleep 1
        kill -KILL "$pid" 2> /dev/null || true
      fi
    done < "$pidfile"
  done
  exit "$status"
}
trap cleanup EXIT INT TERM

suite_args=(--out "$out" --command "scripts/benchmarks.sh${*:+ $*}")
if [ -n "$doc" ]; then
  suite_args+=(--doc "$doc")
fi

echo "benchmarks: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; logs in $out"
java -cp "$bench_jar" org.seamcast.bench.proc.BenchmarkSuite "${suite_args[@]}" "${args[@]}" &
suite_pid=$!
set +e
wait "$suite_pid"
status=$?
set -e
suite_pid=""
echo "benchmarks: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
exit "$status"
