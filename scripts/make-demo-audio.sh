#!/usr/bin/env bash
# Renders the demo's bundled audio: 30 s of an original, generated tune (a pentatonic arpeggio over a soft drone
# and seeded pink noise), so it is royalty-free and no frame repeats within the loop. Deterministic for a given
# ffmpeg build; the committed file is what the demo plays.
set -euo pipefail
out="${1:-$(dirname "$0")/../seamcast-cli/src/main/resources/demo/seamcast-demo.mp3}"
melody='0.22*sin(2*PI*t*220*pow(2,(st(0,mod(floor(t*4)*7+floor(t/2)*3,5));if(eq(ld(0),0),0,if(eq(ld(0),1),2,if(eq(ld(0),2),4,if(eq(ld(0),3),7,9)))))/12+mod(floor(t*4),2)))*(1-0.7*mod(t*4,1))'
ffmpeg -v error -y \
  -f lavfi -i "aevalsrc=exprs='${melody}|${melody}':s=44100:d=30" \
  -f lavfi -i "sine=frequency=110:duration=30:sample_rate=44100" \
  -f lavfi -i "anoisesrc=color=pink:seed=2026:amplitude=0.04:duration=30:sample_rate=44100" \
  -filter_complex "[1:a]volume=0.15,aformat=channel_layouts=stereo[d];[2:a]aformat=channel_layouts=stereo[n];[0:a][d][n]amix=inputs=3:normalize=0,aformat=channel_layouts=stereo" \
  -c:a libmp3lame -b:a 128k -ar 44100 -write_xing 0 -id3v2_version 0 "$out"
echo "wrote $out"
