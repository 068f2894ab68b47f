#!/usr/bin/env bash
# Makes `docker compose` available for validating docker-compose.yml on machines whose Docker
# client has no compose plugin (no Docker engine is needed for `docker compose config`).
# Builds the plugin from its Go module: v2.32.4 is the newest tag whose go.mod has no
# replace/exclude directives, which `go install` refuses.
set -euo pipefail

if docker compose version >/dev/null 2>&1; then
  echo "docker compose: $(docker compose version --short)"
  exit 0
fi
if ! command -v docker >/dev/null 2>&1; then
  echo "docker compose: no docker client on this machine; skipping the compose plugin" >&2
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "docker compose: the plugin is missing and there is no Go toolchain to build it; install Docker Compose v2" >&2
  exit 1
fi

plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
echo "docker compose: building github.com/docker/compose/v2@v2.32.4 into $plugin_dir (first run only)…"
GOBIN="$build_dir" go install -ldflags "-X github.com/docker/compose/v2/internal.Version=v2.32.4" github.com/docker/compose/v2/cmd@v2.32.4
mkdir -p "$plugin_dir"
install -m 0755 "$build_dir/cmd" "$plugin_dir/docker-compose"
echo "docker compose: $(docker compose version --short)"
