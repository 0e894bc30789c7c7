# Prints the path of the Temporal CLI: $TEMPORAL_BIN, `temporal` on PATH, or $(go env GOPATH)/bin/temporal.
temporal_bin() {
  if [ -n "${TEMPORAL_BIN:-}" ] && [ -x "$TEMPORAL_BIN" ]; then echo "$TEMPORAL_BIN"; return 0; fi
  if command -v temporal >/dev/null 2>&1; then command -v temporal; return 0; fi
  if command -v go >/dev/null 2>&1; then
    local gobin; gobin="$(go env GOPATH)/bin/temporal"
    if [ -x "$gobin" ]; then echo "$gobin"; return 0; fi
  fi
  return 1
}
