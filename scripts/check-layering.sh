#!/usr/bin/env bash
# Fails when a file includes across the layering: a core library may include only itself and
# the core libraries it depends on (transitively), as declared by the DEPS of its
# hotline_core_library() call in core/CMakeLists.txt; core/ never includes ui/, app/ or Qt;
# ui/ never includes app/. Run by ctest as "layering: ..." in every preset.
#
#   scripts/check-layering.sh [REPO_ROOT]
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

# name -> direct core dependencies, from the (possibly multi-line) hotline_core_library() calls.
declare -A direct=()
while IFS= read -r call; do
  name=$(sed -E 's/^hotline_core_library\(([a-z_]+).*/\1/' <<<"$call")
  deps=$(grep -oE 'hotline_[a-z_]+' <<<"${call#*"($name"}" | sed 's/^hotline_//' | grep -v '^asio$' |
    tr '\n' ' ' || true)
  direct[$name]="$deps"
done < <(tr '\n' ' ' <core/CMakeLists.txt | grep -oE 'hotline_core_library\([a-z_]+[^)]*\)' |
  grep -v '^hotline_core_library(name')

if ((${#direct[@]} < 5)); then
  echo "check-layering: could not read the libraries from core/CMakeLists.txt" >&2
  exit 2
fi

closure() {  # closure NAME: NAME and everything it may use
  local -A seen=()
  local queue=("$1") n d
  while ((${#queue[@]})); do
    n=${queue[0]}
    queue=("${queue[@]:1}")
    [[ -n "${seen[$n]:-}" ]] && continue
    seen[$n]=1
    for d in ${direct[$n]:-}; do queue+=("$d"); done
  done
  echo "${!seen[@]}"
}

violations=0
report() {
  echo "layering: $1" >&2
  violations=$((violations + 1))
}

for lib in "${!direct[@]}"; do
  [[ -d "core/$lib" ]] || continue
  allowed=" $(closure "$lib") "
  while IFS=: read -r file line text; do
    used=$(sed -E 's/.*#include "core\/([a-z_]+)\/.*/\1/' <<<"$text")
    [[ "$allowed" == *" $used "* ]] ||
      report "$file:$line includes core/$used/, which core/$lib may not use (allowed:$allowed)"
  done < <(grep -rnE '#include "core/[a-z_]+/' "core/$lib" || true)
done

while IFS=: read -r file line text; do
  report "$file:$line: core/ must not include ui/, app/ or Qt: $text"
done < <(grep -rnE '#include ["<](ui/|app/|Q[A-Za-z]+[>/])' core || true)
while IFS=: read -r file line text; do
  report "$file:$line: ui/ must not include app/: $text"
done < <(grep -rnE '#include "app/' ui || true)

if ((violations > 0)); then
  echo "check-layering: $violations include(s) break the layering of core/CMakeLists.txt" >&2
  exit 1
fi
echo "check-layering: ${#direct[@]} core libraries, every include within its layer"
