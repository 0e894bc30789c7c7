#!/bin/sh
# The simple converter's soffice (simple-office-converter.ts): libreoffice-convert runs the binary it is given
# and takes no wrapper command, so this script is that binary. It runs the real soffice
# ($SEALFLOW_SOFFICE) under RLIMIT_AS ($SEALFLOW_OFFICE_MEMORY_LIMIT bytes, through util-linux prlimit, which
# execs it in the same process), so a document that makes LibreOffice grow past the limit fails alone.
command -v prlimit >/dev/null 2>&1 || { echo "prlimit (util-linux) not found: it applies the memory limit; or set OFFICE_MEMORY_LIMIT_MB=0" >&2; exit 127; }
exec prlimit --as="$SEALFLOW_OFFICE_MEMORY_LIMIT" -- "$SEALFLOW_SOFFICE" "$@"
