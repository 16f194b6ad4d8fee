#!/usr/bin/env bash
# Fails if any user-visible string lacks a Simplified Chinese translation: lupdate extracts
# every translatable string from the code as it is now, and each must have a finished, non-empty
# translation in resources/translations/hotline_zh_CN.ts with the same placeholders, and every
# string with %n its two English forms in hotline_en.ts.
# Usage: translations_test.sh REPO
set -euo pipefail
repo=$1
lupdate=""
for candidate in /usr/lib/qt6/bin/lupdate "$(command -v lupdate-qt6 || true)" "$(command -v lupdate || true)"; do
  [[ -n $candidate && -x $candidate ]] && { lupdate=$candidate; break; }
done
[[ -n $lupdate ]] || { echo "lupdate not found (qt6-l10n-tools)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$lupdate" -silent -no-obsolete -locations none -I "$repo" "$repo/ui" "$repo/app/gui/main.cpp" \
  -ts "$work/fresh_zh_CN.ts" > /dev/null
python3 - "$work/fresh_zh_CN.ts" "$repo/resources/translations/hotline_zh_CN.ts" \
  "$repo/resources/translations/hotline_en.ts" <<'PY'
import re, sys, xml.etree.ElementTree as ET

def messages(path):
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for m in context.iter("message"):
            key = (name, m.findtext("source"), m.findtext("comment") or "")
            out[key] = m
    return out

fresh, ours = messages(sys.argv[1]), messages(sys.argv[2])
placeholder = re.compile(r"%(?:\d|n)")
problems = []
for key in fresh:
    context, source, _ = key
    m = ours.get(key)
    if m is None:
        problems.append(f"missing: [{context}] {source!r}")
        continue
    t = m.find("translation")
    if t is None or t.get("type") in ("unfinished", "vanished", "obsolete"):
        problems.append(f"unfinished: [{context}] {source!r}")
        continue
    texts = [n.text or "" for n in t.iter("numerusform")] or [t.text or ""]
    if not all(x.strip() for x in texts):
        problems.append(f"empty: [{context}] {source!r}")
        continue
    for x in texts:
        if sorted(set(placeholder.findall(source))) != sorted(set(placeholder.findall(x))):
            problems.append(f"placeholders differ: [{context}] {source!r} -> {x!r}")
# English needs only its plural forms ("1 call", "2 calls") for the strings with %n.
english = messages(sys.argv[3])
plurals = [k for k, m in fresh.items() if m.get("numerus") == "yes"]
for key in plurals:
    m = english.get(key)
    forms = [n.text or "" for n in m.iter("numerusform")] if m is not None else []
    if len(forms) != 2 or not all(f.strip() for f in forms) or any(
            sorted(set(placeholder.findall(key[1]))) != sorted(set(placeholder.findall(f)))
            for f in forms):
        problems.append(f"English plural forms missing: [{key[0]}] {key[1]!r}")
print(f"{len(fresh)} strings in the code, {len(fresh) - len(problems)} translated "
      f"({len(plurals)} with English plural forms)")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
