#!/usr/bin/env bash
# Prints the C++ sample program of a seed document: the ```cpp block after "Example Code".
# The samples are taken from the seeds at build/test time and never copied into the project.
set -euo pipefail
doc="$1"
[ -f "$doc" ] || { echo "extract-seed-sample: '$doc' does not exist" >&2; exit 1; }
# A Markdown heading in one seed, an HTML <h3> in the other; tolerate CRLF line ends.
code=$(awk '
    /Example Code/                                      { after_heading = 1 }
    after_heading && !in_code && /^```cpp[[:space:]]*\r?$/ { in_code = 1; next }
    in_code && /^```[[:space:]]*\r?$/                   { done = 1; exit }
    in_code                                             { print }
    END                                                 { if (!done) exit 3 }
' "$doc") || { echo "extract-seed-sample: no complete \`\`\`cpp block after 'Example Code' in $doc" >&2; exit 1; }
if [ -z "$code" ] || ! grep -q wmain <<< "$code"; then
  echo "extract-seed-sample: the block found in $doc is not a wmain sample program" >&2
  exit 1
fi
printf '%s\n' "$code"
