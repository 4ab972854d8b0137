#!/bin/sh
# The public headers (include/logreg/*.hpp, what `cmake --install` installs) include only each
# other, as "logreg/NAME.hpp", and headers from outside the project, as <...>: never a header of
# src/, which is not installed. Usage: public_headers.sh SOURCE_DIR
set -eu
cd "$1"
for h in include/logreg/*.hpp; do
  grep -n '^[[:space:]]*#[[:space:]]*include' "$h" | while IFS= read -r line; do
    target=$(printf '%s\n' "$line" | sed -n 's/.*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p')
    case "$line" in
      *'"'*) [ -f "include/$target" ] && case "$target" in logreg/*) continue ;; esac
             echo "$h:$line: a quoted include must name a public header, \"logreg/NAME.hpp\"" ;;
      *) [ -e "src/$target" ] || continue
         echo "$h:$line: an internal header (src/$target)" ;;
    esac
  done
done | { if grep .; then exit 1; fi; }
