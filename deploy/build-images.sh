#!/usr/bin/env bash
# Builds the container images of the four Pressline services without a Docker daemon:
#   1. a Debian base image (debootstrap, minimal variant, plus openjdk-17-jre-headless), imported
#      into podman and saved as deploy/build/base/pressline-base.tar;
#   2. the four service images with Jib (./mvnw -Pimages), written as OCI tars to
#      <service>/target/jib-image.tar;
#   3. those tars loaded into podman as pressline/<service>:0.1.0-SNAPSHOT.
#
#   deploy/build-images.sh                # everything; the base is reused when it exists
#   deploy/build-images.sh --rebuild-base # make the base again (a new debootstrap)
#   deploy/build-images.sh --base-only    # only step 1
#   deploy/build-images.sh --no-podman    # skip step 3 (with PRESSLINE_BASE_IMAGE: no podman at all)
#
# Needs root (debootstrap, podman's storage). Installs debootstrap, podman and runc with apt-get when
# they are missing. Heavy steps take PRESSLINE_BUILD_LOCK (a flock file) so that builds sharing a
# machine run one at a time. Settings (environment):
#   PRESSLINE_DEBIAN_SUITE   Debian release of the base (default bookworm: it has openjdk-17)
#   PRESSLINE_DEBIAN_MIRROR  mirror for debootstrap (default: the first one in this machine's apt sources)
#   PRESSLINE_BASE_IMAGE     give Jib another base instead, e.g. eclipse-temurin:17-jre where a
#                            registry is reachable; then no debootstrap runs
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/deploy/build
BASE_DIR=$BUILD/base
BASE_TAR=$BASE_DIR/pressline-base.tar
BASE_NAME=localhost/pressline/base:17
SUITE=${PRESSLINE_DEBIAN_SUITE:-bookworm}
LOCK=${PRESSLINE_BUILD_LOCK:-/tmp/pressline-build.lock}
SERVICES=(ingest-service publisher-service feed-service console-service)
VERSION=0.1.0-SNAPSHOT

rebuild_base=false
base_only=false
use_podman=true
for arg in "$@"; do
  case "$arg" in
    --rebuild-base) rebuild_base=true ;;
    --base-only) base_only=true ;;
    --no-podman) use_podman=false ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%SZ)"; }
# The heavy steps (debootstrap, Maven, podman import/save/load) run under PRESSLINE_BUILD_LOCK, a
# flock file shared by the builds on this machine: taken once, on fd 9, at the first heavy step and
# kept to the end (one wait in the queue instead of one per step).
lock_held=false
heavy() {
  if ! $lock_held; then exec 9>"$LOCK"; say "waiting for $LOCK"; flock 9; lock_held=true; fi
  "$@"
}

install_missing() {
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# podman without a systemd session or a Docker engine: runc with cgroupfs, and no default ulimits
# (raising RLIMIT_NOFILE is refused in unprivileged sandboxes: "setrlimit ... Operation not permitted").
configure_podman() {
  local conf=/etc/containers/containers.conf
  mkdir -p /etc/containers
  touch "$conf"
  if ! grep -q '^[[:space:]]*default_ulimits' "$conf"; then
    if grep -q '^\[containers\]' "$conf"; then
      sed -i '/^\[containers\]/a default_ulimits = []' "$conf"
    else
      printf '[containers]\ndefault_ulimits = []\n' >>"$conf"
    fi
  fi
}
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs)

debian_mirror() {
  if [ -n "${PRESSLINE_DEBIAN_MIRROR:-}" ]; then echo "$PRESSLINE_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n 1 || true)
  [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | head -n 1 || true)
  [ -n "$uri" ] || { echo "no Debian mirror found: set PRESSLINE_DEBIAN_MIRROR" >&2; exit 1; }
  echo "$uri"
}

build_base() {
  install_missing debootstrap
  local rootfs=$BASE_DIR/rootfs mirror
  mirror=$(debian_mirror)
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  say "debootstrap $SUITE (minbase + openjdk-17-jre-headless) from $mirror"
  # minbase: essential packages and apt only; the JRE's Depends come with it, no Recommends
  heavy debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    "$SUITE" "$rootfs" "$mirror"

  say "trimming the root file system and adding the service user"
  # uid/gid 10001: a fixed number outside the ranges distributions hand out, so volumes can be
  # chowned to it anywhere; /data holds the folders the services use (named volumes take their owner)
  chroot "$rootfs" groupadd --system --gid 10001 pressline
  chroot "$rootfs" useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
    --shell /usr/sbin/nologin pressline
  for d in inbox processed rejected media state; do mkdir -p "$rootfs/data/$d"; done
  chroot "$rootfs" chown -R 10001:10001 /data
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/* "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/tmp/*
  local java_home
  # /usr/lib/jvm/java-17-openjdk-<arch>, resolved inside the root file system
  java_home=$(chroot "$rootfs" sh -c 'dirname "$(dirname "$(readlink -f /usr/bin/java)")"')

  say "importing the root file system into podman as $BASE_NAME"
  tar -C "$rootfs" --numeric-owner -cf "$BASE_DIR/rootfs.tar" .
  heavy "${PODMAN[@]}" import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV JAVA_HOME=$java_home" \
    --change "ENV LANG=C.UTF-8" \
    --change "WORKDIR /data" \
    --message "Debian $SUITE minbase + openjdk-17-jre-headless (deploy/build-images.sh)" \
    "$BASE_DIR/rootfs.tar" "$BASE_NAME"
  # Jib reads a base image from a `docker save` style tar
  rm -f "$BASE_TAR"
  heavy "${PODMAN[@]}" save --format docker-archive -o "$BASE_TAR" "$BASE_NAME"
  rm -rf "$rootfs" "$BASE_DIR/rootfs.tar"
}

if [ "$(id -u)" -ne 0 ]; then echo "run as root (debootstrap and podman's storage need it)" >&2; exit 1; fi
install_missing flock
if $use_podman || [ -z "${PRESSLINE_BASE_IMAGE:-}" ]; then
  install_missing podman runc
  configure_podman
fi

mkdir -p "$BASE_DIR"
if [ -n "${PRESSLINE_BASE_IMAGE:-}" ]; then
  base_ref=$PRESSLINE_BASE_IMAGE
  say "base image: $base_ref (from a registry)"
else
  if $rebuild_base || [ ! -s "$BASE_TAR" ]; then build_base; else say "reusing $BASE_TAR"; fi
  base_ref=tar://$BASE_TAR
fi
if $base_only; then exit 0; fi

say "building jars and images with Jib (base $base_ref)"
heavy ./mvnw -B -q --no-transfer-progress -DskipTests -Pimages -Djib.disableUpdateChecks=true \
  "-Dpressline.image.base=$base_ref" package -pl "$(IFS=,; echo "${SERVICES[*]}")" -am

for s in "${SERVICES[@]}"; do
  printf '%-18s %s  %s\n' "$s" "$(du -h "$s/target/jib-image.tar" | cut -f1)" "$s/target/jib-image.tar"
done

if $use_podman; then
  for s in "${SERVICES[@]}"; do
    say "loading pressline/$s:$VERSION into podman"
    heavy "${PODMAN[@]}" load -q -i "$s/target/jib-image.tar"
  done
  say "images"
  "${PODMAN[@]}" images --filter reference='pressline/*'
fi
