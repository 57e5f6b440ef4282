#!/usr/bin/env bash
# Runs the four service images (made by deploy/build-images.sh) under podman on this machine and
# checks one post end to end:
#   - a KRaft Kafka broker in a JVM on the host, started from Kafka's own artifacts (the kafka_2.13
#     classpath of service-support), and a mail catcher (Debian's python3-aiosmtpd, writing a Maildir);
#   - ingest, publisher, feed and the operator console as podman containers (runc, cgroupfs, host network), settings from
#     environment variables only, the inbox, processed, rejected, media and state folders as volumes
#     (bind mounts under deploy/build/run/data), a liveness health check (--health-cmd; without
#     systemd podman does not run it on a timer, so the script runs it with `podman healthcheck run`);
#   - subscribes reader@example.com, follows the link in the confirmation mail, drops a post into the
#     inbox volume, and waits until the feed lists it and the newsletter mail has arrived;
#   - signs in to the console with its admin token (curl, the sign-in form's CSRF token and cookie) and
#     finds the post on its posts page and the file on its inbox page.
#
#   deploy/run-local.sh          # the check above, then stops everything
#   deploy/run-local.sh --keep   # leaves it running (stop with deploy/run-local.sh --stop)
#   deploy/run-local.sh --stop   # stops what a --keep run left
#
# Ports (host network; chosen away from ./pipeline up's defaults so both can run side by side):
# feed 18080, publisher 18081, ingest 18082, console 18083, Kafka 19092 (controller 19093), SMTP 12525.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
RUN=$ROOT/deploy/build/run
DATA=$RUN/data
MAIL=$RUN/mail
LOGS=$RUN/logs
LOCK=${PRESSLINE_BUILD_LOCK:-/tmp/pressline-build.lock}
VERSION=0.1.0-SNAPSHOT
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs)
KAFKA_PORT=19092 CONTROLLER_PORT=19093 SMTP_PORT=12525
FEED_PORT=18080 PUBLISHER_PORT=18081 INGEST_PORT=18082 CONSOLE_PORT=18083
FEED_URL=http://localhost:$FEED_PORT PUBLISHER_URL=http://localhost:$PUBLISHER_PORT
CONSOLE_URL=http://localhost:$CONSOLE_PORT
SUBSCRIBER=reader@example.com
CONTAINERS=(pressline-local-ingest pressline-local-publisher pressline-local-feed pressline-local-console)

say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%SZ)"; }
# The whole run is one heavy job: it takes PRESSLINE_BUILD_LOCK (a flock file shared by the builds on
# this machine) once, on fd 9, and releases it at the end; the broker, the mail catcher and the
# containers are started without that fd, so none of them can keep the lock.
take_lock() { exec 9>"$LOCK"; say "waiting for $LOCK"; flock 9; }
release_lock() { flock -u 9 2>/dev/null || true; exec 9>&-; }

stop_all() {
  say "stopping"
  mkdir -p "$LOGS"
  for c in "${CONTAINERS[@]}"; do
    "${PODMAN[@]}" logs "$c" >"$LOGS/$c.log" 2>&1 || rm -f "$LOGS/$c.log"
  done
  "${PODMAN[@]}" rm -f -t 10 "${CONTAINERS[@]}" >/dev/null 2>&1 || true
  for pidfile in "$RUN/kafka.pid" "$RUN/mail.pid"; do
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
  done
}

# wait_for SECONDS DESCRIPTION COMMAND...: runs COMMAND every second until it succeeds
wait_for() {
  local limit=$1 what=$2 start=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= limit )); then echo "gave up after ${limit}s waiting for $what" >&2; return 1; fi
    sleep 1
  done
  echo "$what: after $(( SECONDS - start ))s"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "${1:-}" in
  --stop) stop_all; exit 0 ;;
  --keep|"") ;;
  *) echo "usage: $0 [--keep|--stop]" >&2; exit 2 ;;
esac
keep=false; [ "${1:-}" = --keep ] && keep=true

for s in ingest-service publisher-service feed-service console-service; do
  "${PODMAN[@]}" image exists "localhost/pressline/$s:$VERSION" \
    || { echo "no image pressline/$s:$VERSION: run deploy/build-images.sh first" >&2; exit 1; }
done
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd; }

take_lock
stop_all
$keep || trap 'stop_all; release_lock' EXIT
rm -rf "$RUN" && mkdir -p "$LOGS" "$MAIL"/{tmp,new,cur} "$RUN/kafka"

say "Kafka's classpath (kafka_2.13 through service-support)"
./mvnw -B -q --no-transfer-progress dependency:build-classpath -pl service-support -am \
  -Dmdep.includeScope=runtime -Dmdep.outputFile=target/kafka.classpath
cp="$(cat service-support/target/kafka.classpath)"

say "Kafka broker on 127.0.0.1:$KAFKA_PORT (KRaft, one combined node)"
cat >"$RUN/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN/kafka/log
# one broker: internal topics with one replica
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
java -cp "$cp" kafka.tools.StorageTool format --standalone \
  -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" -c "$RUN/kafka/server.properties" \
  >"$LOGS/kafka-format.log" 2>&1
java -Xmx512m -cp "$cp" kafka.Kafka "$RUN/kafka/server.properties" >"$LOGS/kafka.log" 2>&1 9>&- &
echo $! >"$RUN/kafka.pid"
wait_for 90 "Kafka listening" port_open "$KAFKA_PORT"

say "mail catcher on 127.0.0.1:$SMTP_PORT (Maildir $MAIL)"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAIL" \
  >"$LOGS/mail.log" 2>&1 9>&- &
echo $! >"$RUN/mail.pid"
wait_for 20 "mail catcher listening" port_open "$SMTP_PORT"

# the volumes: host folders owned by the images' user (uid 10001)
for d in inbox processed rejected media state-ingest state-publisher state-feed; do mkdir -p "$DATA/$d"; done
chown -R 10001:10001 "$DATA"

common=(--detach --network host
  -e PRESSLINE_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT
  -e PRESSLINE_PUBLIC_BASE_URL=$FEED_URL -e PRESSLINE_PUBLISHER_BASE_URL=$PUBLISHER_URL
  # a small heap: four JVMs share this machine (the images size theirs from a memory limit)
  -e JAVA_TOOL_OPTIONS=-Xmx384m
  --health-interval 10s --health-retries 3 --health-start-period 60s)

say "starting the four images under podman"
# the publisher's and the console's settings: the console acts through the publisher's code, so it
# takes the same values (see console-service/SETTINGS.md)
publisher_env=(-e PRESSLINE_SMTP_HOST=127.0.0.1 -e PRESSLINE_SMTP_PORT=$SMTP_PORT
  -e "PRESSLINE_SIGNING_SECRET=$(head -c 32 /dev/urandom | base64)"
  -e "PRESSLINE_MAIL_FROM=Pressline <newsletter@example.com>")
ADMIN_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
"${PODMAN[@]}" run "${common[@]}" --name pressline-local-ingest \
  --health-cmd "pressline-health $INGEST_PORT /health/live" \
  -e PRESSLINE_INGEST_PORT=$INGEST_PORT \
  -v "$DATA/inbox:/data/inbox" -v "$DATA/processed:/data/processed" -v "$DATA/rejected:/data/rejected" \
  -v "$DATA/media:/data/media" -v "$DATA/state-ingest:/data/state" \
  "localhost/pressline/ingest-service:$VERSION" 9>&-
"${PODMAN[@]}" run "${common[@]}" --name pressline-local-publisher \
  --health-cmd "pressline-health $PUBLISHER_PORT /health/live" \
  -e PRESSLINE_PUBLISHER_PORT=$PUBLISHER_PORT -e PRESSLINE_PUBLISHER_INSTANCE_ID=publisher-1 \
  "${publisher_env[@]}" -e "PRESSLINE_ADMIN_TOKEN=$ADMIN_TOKEN" \
  -v "$DATA/state-publisher:/data/state" \
  "localhost/pressline/publisher-service:$VERSION" 9>&-
"${PODMAN[@]}" run "${common[@]}" --name pressline-local-feed \
  --health-cmd "pressline-health $FEED_PORT /health/live" \
  -e PRESSLINE_FEED_PORT=$FEED_PORT \
  -v "$DATA/media:/data/media:ro" -v "$DATA/state-feed:/data/state" \
  "localhost/pressline/feed-service:$VERSION" 9>&-
# host network: the console's default bind (127.0.0.1) is the host's loopback, as outside a container
"${PODMAN[@]}" run "${common[@]}" --name pressline-local-console \
  --health-cmd "pressline-health $CONSOLE_PORT /health/live" \
  -e PRESSLINE_CONSOLE_PORT=$CONSOLE_PORT "${publisher_env[@]}" -e "PRESSLINE_ADMIN_TOKEN=$ADMIN_TOKEN" \
  -e "PRESSLINE_CONSOLE_SERVICES=ingest=http://localhost:$INGEST_PORT,publisher=$PUBLISHER_URL,feed=$FEED_URL" \
  "localhost/pressline/console-service:$VERSION" 9>&-

for pair in ingest:$INGEST_PORT publisher:$PUBLISHER_PORT feed:$FEED_PORT console:$CONSOLE_PORT; do
  name=pressline-local-${pair%%:*}
  wait_for 120 "$name ready (/health/ready)" "${PODMAN[@]}" exec "$name" pressline-health "${pair##*:}" /health/ready
done
for name in "${CONTAINERS[@]}"; do
  printf '%s: podman healthcheck run (liveness) -> %s\n' "$name" \
    "$("${PODMAN[@]}" healthcheck run "$name" && echo healthy || echo unhealthy)"
done
"${PODMAN[@]}" ps --filter name=pressline-local --format '{{.Names}}  {{.Image}}  {{.Status}}'
"${PODMAN[@]}" exec pressline-local-feed id

# mail_matching PATTERN: the decoded text of the first captured mail whose text matches PATTERN
mail_matching() {
  /usr/bin/python3 - "$MAIL" "$1" <<'PY'
import mailbox, re, sys
for key, msg in mailbox.Maildir(sys.argv[1], create=False).items():
    parts = [p for p in msg.walk() if p.get_content_type() == "text/plain"] or [msg]
    text = "".join(p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8", "replace") for p in parts)
    text = "Subject: %s\nTo: %s\n\n%s" % (msg["Subject"], msg["To"], text)
    if re.search(sys.argv[2], text):
        print(text)
        sys.exit(0)
sys.exit(1)
PY
}

say "subscribing $SUBSCRIBER"
curl -sS -o /dev/null -w 'POST /subscribe -> %{http_code}\n' --data-urlencode "email=$SUBSCRIBER" "$PUBLISHER_URL/subscribe"
wait_for 60 "confirmation mail" mail_matching '/confirm\?token='
confirm=$(mail_matching '/confirm\?token=' | grep -o "$PUBLISHER_URL/confirm?token=[^ >\"]*" | head -n 1)
# the link shows a button (link scanners open every link); its form's POST confirms
curl -sS -o /dev/null -w 'GET /confirm?token=… (the button) -> %{http_code}\n' "$confirm"
curl -sS -o /dev/null -w 'POST /confirm?token=… -> %{http_code}\n' --data '' "$confirm"
confirmed() { curl -sf "$PUBLISHER_URL/metrics" | grep -Eq '^pressline_publisher_confirmed_subscribers(\{[^}]*\})? [1-9]'; }
wait_for 60 "publisher counts 1 confirmed subscriber" confirmed

title="Hello from the containers $(date -u +%H:%M:%S)"
say "dropping a post into the inbox volume: \"$title\""
printf '# %s\n\nThis post went through the ingest, publisher and feed images under podman.\n' "$title" \
  >"$DATA/inbox/.hello.md.part"
chown 10001:10001 "$DATA/inbox/.hello.md.part"
mv "$DATA/inbox/.hello.md.part" "$DATA/inbox/hello-from-the-containers.md"
dropped=$SECONDS
feed_lists() { curl -sf "$FEED_URL/feed.xml" | grep -qF "<title>$title</title>"; }
wait_for 60 "feed.xml lists the post" feed_lists
wait_for 60 "newsletter mail arrived" mail_matching "Subject: .*$title"
echo "post dropped -> feed and mail within $(( SECONDS - dropped ))s"
ls "$DATA/processed"

say "the feed"
curl -sS "$FEED_URL/feed.xml" | grep -o '<title>[^<]*</title>\|<link>[^<]*</link>' | head -n 4
say "the newsletter mail (first lines)"
mail_matching "Subject: .*$title" | head -n 8
say "mails captured: $(find "$MAIL/new" "$MAIL/cur" -type f | wc -l)"

say "the console at $CONSOLE_URL"
curl -sS -o /dev/null -w 'GET /health -> %{http_code}\n' "$CONSOLE_URL/health"
curl -sS -o /dev/null -w 'GET / without a session -> %{http_code} %{redirect_url}\n' "$CONSOLE_URL/"
jar=$RUN/console-cookies
signin=$(curl -sS -c "$jar" -b "$jar" "$CONSOLE_URL/signin")
grep -q '<h1>Sign in</h1>' <<<"$signin" && echo "GET /signin -> the sign-in page"
csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$signin" | sed 's/.*value="//; s/"$//')
curl -sS -o /dev/null -c "$jar" -b "$jar" -w 'POST /signin (token and CSRF token) -> %{http_code} %{redirect_url}\n' \
  --data-urlencode "csrf=$csrf" --data-urlencode "token=$ADMIN_TOKEN" "$CONSOLE_URL/signin"
console_lists_post() { curl -sSf -b "$jar" "$CONSOLE_URL/" | grep -qF "$title"; }
wait_for 60 "the console's posts page lists the post" console_lists_post
console_lists_file() { curl -sSf -b "$jar" "$CONSOLE_URL/inbox" | grep -qF hello-from-the-containers.md; }
wait_for 60 "the console's inbox page lists the file" console_lists_file
curl -sSf -b "$jar" "$CONSOLE_URL/" | grep -o '[0-9]* %' | head -n 1 | sed 's/^/posts page, mail progress: /'

if $keep; then
  release_lock
  echo "left running: feed $FEED_URL, publisher $PUBLISHER_URL, console $CONSOLE_URL (admin token $ADMIN_TOKEN)," \
    "mail in $MAIL; stop with $0 --stop"
fi
