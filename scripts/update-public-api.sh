#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every library from its code.
#
# The public API analyzer (RS0016/RS0017) fails the build when a public symbol is missing from
# PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt, or listed but gone. After adding or changing public API,
# or after a merge conflict in PublicAPI.Unshipped.txt (take either side), run:
#
#   bash scripts/update-public-api.sh
#
# For each library it empties PublicAPI.Unshipped.txt, lets the analyzer's own code fix add every public
# symbol that PublicAPI.Shipped.txt does not list (dotnet format analyzers --diagnostics RS0016), and
# finally builds the libraries to prove the files are complete. PublicAPI.Shipped.txt is never edited:
# removing shipped API is a breaking change to make by hand (the build names the symbol, RS0017).
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t projects < <(find src -name PublicAPI.Shipped.txt -printf '%h\n' | sort | while read -r dir; do
  ls "$dir"/*.csproj
done)
if [[ ${#projects[@]} -eq 0 ]]; then
  echo "update-public-api: no project under src/ has a PublicAPI.Shipped.txt." >&2
  exit 1
fi

for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  echo "update-public-api: $project"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  # The code fix writes the additional file; no source file is changed by this diagnostic's fix.
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn >/dev/null
done

# The proof: the libraries build (warnings are errors, so any RS0016/RS0017 left would fail here).
for project in "${projects[@]}"; do
  dotnet build "$project" -c Release --nologo -v quiet
done

git --no-pager diff --stat -- '*PublicAPI.Unshipped.txt' || true
echo "update-public-api: done; review and commit the PublicAPI.Unshipped.txt changes."
