# Shared by the bench/*.sh commands: installs the tools a benchmark needs (Debian packages, npm),
# builds the service jars and the drivers when they are missing, and runs a driver.
# Source it; then call need_tools, ensure_built and run_driver.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH="$ROOT/bench"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    as_root apt-get update -qq
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# need_tools smtp wrk hyperfine nginx node: installs what is missing, leaves no daemon running
need_tools() {
  for tool in "$@"; do
    case "$tool" in
      smtp)
        if ! command -v smtp-sink >/dev/null || ! command -v smtp-source >/dev/null; then
          # "No configuration": postfix is installed for its test tools, not as a mail server
          echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
          apt_install postfix
          stop_daemon postfix
        fi ;;
      wrk) command -v wrk >/dev/null || apt_install wrk ;;
      hyperfine) command -v hyperfine >/dev/null || apt_install hyperfine ;;
      curl) command -v curl >/dev/null || apt_install curl ;;
      nginx)
        if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
          apt_install nginx-light 2>/dev/null || apt_install nginx
          stop_daemon nginx
        fi ;;
      node)
        command -v node >/dev/null || apt_install nodejs
        command -v npm >/dev/null || apt_install npm
        if [ ! -d "$BENCH/node/node_modules/nodemailer" ]; then
          (cd "$BENCH/node" && npm ci --no-audit --no-fund --silent)
        fi ;;
      *) echo "unknown tool $tool" >&2; return 1 ;;
    esac
  done
  export PATH="$PATH:/usr/sbin:/sbin"
}

# a package's install may start its daemon (port 25, port 80): the benchmarks start their own
stop_daemon() {
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now "$1" >/dev/null 2>&1 || true
  fi
  case "$1" in
    postfix) as_root postfix stop >/dev/null 2>&1 || true ;;
    nginx) as_root nginx -s stop >/dev/null 2>&1 || true ;;
  esac
}

# builds the three service jars and the drivers unless they are there already (--rebuild forces it)
ensure_built() {
  local missing=no
  for module in ingest-service publisher-service feed-service; do
    [ -f "$ROOT/$module/target/$module-0.1.0-SNAPSHOT-all.jar" ] || missing=yes
  done
  [ -f "$BENCH/target/classpath.txt" ] || missing=yes
  if [ "$missing" = yes ] || [ "${BENCH_REBUILD:-no}" = yes ]; then
    echo "building the service jars and the benchmark drivers..."
    (cd "$ROOT" && ./mvnw -q -DskipTests install -pl bench -am)
  fi
}

bench_classpath() {
  echo "$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")"
}

# run_driver SUBCOMMAND ARGS...: one of the Java drivers (dev.pressline.bench.BenchMain)
run_driver() {
  java -Xmx2g -cp "$(bench_classpath)" dev.pressline.bench.BenchMain "$@" --root "$ROOT"
}

java_check() {
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
}
