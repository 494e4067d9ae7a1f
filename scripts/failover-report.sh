#!/usr/bin/env bash
# Runs the fault suite (integration-tests, package org.seamcast.it.fault) and writes docs/failover-report.md from
# the rows each scenario appends to integration-tests/target/failover-report.md. Needs what .ci/run installs.
# With --from-last-run it only writes the report from the rows of the last run (e.g. of `mvn -B verify`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${1:-}" != "--from-last-run" ]; then
  rm -f integration-tests/target/failover-report.md
  mvn -B -q install -DskipTests
  mvn -B verify -pl integration-tests -Dtest='org.seamcast.it.fault.*Test'
fi
[ -s integration-tests/target/failover-report.md ] || { echo "no rows in integration-tests/target/failover-report.md" >&2; exit 1; }

{
  echo "# Failover report"
  echo
  echo "Made by \`scripts/failover-report.sh\` on $(date -u +%Y-%m-%d) ($(nproc) vCPU, load average"
  echo "$(cut -d' ' -f1-3 /proc/loadavg) at the end, $(java -version 2>&1 | head -1), $(ffmpeg -version | head -1 | cut -d' ' -f1-3),"
  echo "$(icecast2 -v 2>&1 | head -1))."
  echo
  echo "Each row is one scenario of the fault suite (\`integration-tests/src/test/java/org/seamcast/it/fault\`): real"
  echo "ffmpeg encoders, ingests, relays, an edge in its own network namespace and an \`icecast2\` relaying it, a"
  echo "listener recording from Icecast from the moment the mesh is up, scored frame by frame against the encoders'"
  echo "own frames. *Missing* and *repeated* are frames of the programme skipped or heard twice where audio was"
  echo "continuous; *foreign* are frames no encoder sent (fallback silence, bridge frames at MP3 switches, a silent"
  echo "frame when a returning encoder's bit reservoir is not held); *off grid after fallback* is how far the encoders"
  echo "came back from where the fallback grid expected them (their own restart). *Switch* is the time from the"
  echo "fault to the edge's switch (it includes D = 2 s: the switch is logged when the slot plays). *End to end* is"
  echo "encoder to Icecast listener, median of the last frames. *Decode* is what ffmpeg reported decoding the recording."
  echo
  echo "Each encoder is \`ffmpeg -c copy\` fed by a studio thread (\`LiveEncoder\`) that writes frame *n* of the reference"
  echo "into its stdin at t0 + (n + 1) frames, so two encoders send the same frame at the same wall time however long"
  echo "each takes to start and connect (before the fourteenth session ffmpeg \`-re\` read the file from the position at"
  echo "launch, and an encoder that connected late ran that much behind for good: once, in CI, 3 s)."
  echo
  echo "| scenario | codec | heard | missing | repeated | foreign | switches | off grid after fallback | switch | end to end (ms) | decode |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  cat integration-tests/target/failover-report.md
} > docs/failover-report.md
echo "wrote docs/failover-report.md"
