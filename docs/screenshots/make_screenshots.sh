#!/usr/bin/env bash
# Render the README screenshots of the editor again (offscreen; no display needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PLAYGROUND_DATA_DIR="$(mktemp -d)"  # leave the user's settings and autosaves alone
# the network framed as the app opens it (laid out in bands that fit the canvas), one layer selected
shot() { .venv/bin/playground --screenshot "docs/screenshots/$1.png" "examples/$2.json" --select "$3" \
           --theme "$4" --panels palette,inspector,code --size 1600x1000; }
for theme in dark light; do
  shot "mini_resnet_$theme" mini_resnet b2_conv2 "$theme"
  shot "lenet5_$theme" lenet5 c3 "$theme"
done
rm -rf "$PLAYGROUND_DATA_DIR"
