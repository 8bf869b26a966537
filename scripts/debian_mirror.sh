#!/usr/bin/env bash
# Prints the URI of this machine's configured Debian archive (not the security archive), read from
# apt's own configuration, so source downloads use the same mirror the machine already trusts.
set -euo pipefail
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  # deb822 stanzas: first URIs: whose stanza has a bookworm suite and is not the security archive.
  uri=$(awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm([ \n]|$)/ && !/security/ {
           if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s=substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit } }' "$f")
  [ -n "$uri" ] && break
done
if [ -z "$uri" ]; then
  uri=$(grep -hE '^deb[ \t]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        grep -v security | awk '{for(i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) {print $i; exit}}' | head -n1)
fi
[ -n "$uri" ] || { echo "no Debian archive found in the apt configuration" >&2; exit 1; }
echo "$uri"
