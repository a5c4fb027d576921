#!/usr/bin/env bash
# Installs the system packages the tests need, only where they are missing.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
command -v npm >/dev/null || missing+=(npm)
# pdftotext and pdftoppm: the tests read and draw the paper version PDFs.
command -v pdftoppm >/dev/null || missing+=(poppler-utils)

if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "These packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
