#!/usr/bin/env bash
# Regenerate the README gallery with the command-line tool (one picture per technique).
# Run from the repository root: bash docs/gallery/make_gallery.sh   (about ten minutes on two cores)
set -euo pipefail
PG=${PG:-.venv/bin/playground}
OUT=docs/gallery
WEIGHTS=$(mktemp -d)/shapes.safetensors
SHAPES=(--project examples/shapes_cnn.json --weights "$WEIGHTS")
LITE=(--zoo efficientnet-lite0)

"$PG" train examples/shapes_cnn.json --save-weights "$WEIGHTS" --quiet > /dev/null
"$PG" viz filters "${LITE[@]}" --out "$OUT/filters.png"
"$PG" viz activations "${SHAPES[@]}" --sample 3 --layer conv1_relu --out "$OUT/activations.png"
"$PG" viz toppatches "${SHAPES[@]}" --layer conv3 --channel 5 --k 16 --out "$OUT/toppatches.png"
"$PG" viz saliency "${LITE[@]}" --image chelsea --smooth 16 --out "$OUT/saliency.png"
"$PG" viz guided "${LITE[@]}" --image chelsea --out "$OUT/guided.png"
"$PG" viz gradcam "${LITE[@]}" --image chelsea --guided --out "$OUT/gradcam.png"
"$PG" viz classviz "${LITE[@]}" --target tarantula --steps 300 --size 160 --out "$OUT/classviz.png"
"$PG" viz dream "${LITE[@]}" --image chelsea --steps 10 --octaves 4 --out "$OUT/dream.png"
"$PG" viz style "${LITE[@]}" --image chelsea --style mosaic --steps 300 --size 256 --out "$OUT/style.png"
"$PG" viz fgsm "${LITE[@]}" --image coffee --epsilon 0.01 --out "$OUT/fgsm.png"
"$PG" viz pgd "${SHAPES[@]}" --sample 5 --epsilon 0.05 --steps 20 --out "$OUT/pgd.png"
