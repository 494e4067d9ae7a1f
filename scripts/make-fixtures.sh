#!/usr/bin/env bash
# Regenerates the small audio fixtures the frame-codec and probe tests compare against ffprobe.
# Inputs are deterministic (pink noise with a fixed seed, sine sweeps) and the muxers run bit-exact,
# so the same ffmpeg version gives the same bytes. Each file is a few seconds long.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=frame-codec/src/test/resources/fixtures
mkdir -p "$out"

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
bitexact=(-fflags +bitexact -flags:a +bitexact)

# Sources: seeded pink noise (never repeats) in stereo, and a mono sine sweep.
noise() { echo "anoisesrc=d=$2:c=pink:r=$1:a=0.25:seed=$3"; }
stereo_noise() { echo "anoisesrc=d=$2:c=pink:r=$1:a=0.25:seed=11[l];anoisesrc=d=$2:c=pink:r=$1:a=0.25:seed=12[r];[l][r]join=inputs=2:channel_layout=stereo"; }
sweep() { echo "aevalsrc=0.3*sin(2*PI*(200+800*t)*t):s=$1:d=$2"; }

# MPEG-1 Layer III, 44.1 kHz, 128 kb/s CBR, stereo; ID3v2 and a LAME Info frame (seekable output).
ff -filter_complex "$(stereo_noise 44100 3)" -c:a libmp3lame -b:a 128k "${bitexact[@]}" "$out/mp3-mpeg1-44100-128k-cbr-stereo.mp3"

# MPEG-1 Layer III VBR (Xing frame), 44.1 kHz stereo.
ff -filter_complex "$(stereo_noise 44100 3)" -c:a libmp3lame -q:a 4 "${bitexact[@]}" "$out/mp3-mpeg1-44100-vbr-stereo.mp3"

# MPEG-2 Layer III, 22.05 kHz mono, 32 kb/s.
ff -f lavfi -i "$(sweep 22050 3)" -c:a libmp3lame -b:a 32k -ac 1 "${bitexact[@]}" "$out/mp3-mpeg2-22050-32k-mono.mp3"

# MPEG-2.5 Layer III, 11.025 kHz mono, 16 kb/s.
ff -f lavfi -i "$(noise 11025 3 7)" -c:a libmp3lame -b:a 16k -ac 1 "${bitexact[@]}" "$out/mp3-mpeg25-11025-16k-mono.mp3"

# MPEG-1 Layer III, 48 kHz, 192 kb/s stereo, written to a pipe as a live encoder would: no Xing frame, no ID3.
ff -filter_complex "$(stereo_noise 48000 3)" -c:a libmp3lame -b:a 192k -id3v2_version 0 "${bitexact[@]}" -f mp3 - > "$out/mp3-mpeg1-48000-192k-stereo-stream.mp3"

# MPEG-1 Layer II, 48 kHz, 192 kb/s stereo.
ff -filter_complex "$(stereo_noise 48000 3)" -c:a mp2 -b:a 192k "${bitexact[@]}" -f mp2 "$out/mp2-mpeg1-48000-192k-stereo.mp2"

# MPEG-1 Layer III with an ID3v2.3 tag whose title encodes (UTF-16LE) as FF FB 90 64, a valid
# 128 kb/s 44.1 kHz frame header, repeated; and an ID3v1 tag at the end.
sync_title=$(printf '\xef\xaf\xbf\xe6\x92\x90%.0s' $(seq 1 64))
ff -f lavfi -i "$(noise 44100 2 5)" -c:a libmp3lame -b:a 128k -ac 2 -id3v2_version 3 -write_id3v1 1 \
   -metadata title="$sync_title" -metadata artist=seamcast "${bitexact[@]}" "$out/mp3-id3v2-sync-like-id3v1.mp3"

# AAC-LC in ADTS: 44.1 and 48 kHz, mono and stereo.
ff -filter_complex "$(stereo_noise 44100 3)" -c:a aac -b:a 128k "${bitexact[@]}" -f adts "$out/aac-lc-44100-stereo.aac"
ff -f lavfi -i "$(noise 44100 3 21)" -c:a aac -b:a 64k "${bitexact[@]}" -f adts "$out/aac-lc-44100-mono.aac"
ff -filter_complex "$(stereo_noise 48000 3)" -c:a aac -b:a 128k "${bitexact[@]}" -f adts "$out/aac-lc-48000-stereo.aac"
ff -f lavfi -i "$(sweep 48000 3)" -c:a aac -b:a 64k "${bitexact[@]}" -f adts "$out/aac-lc-48000-mono.aac"

ls -l "$out"
