// The peer baseline of the mail benchmark: nodemailer's pooled SMTP transport sending --count
// personalised messages of about --size bytes over --concurrency reused connections.
// Prints one JSON line: {"sent":N,"seconds":S} (time from the first send to the last 250 reply).
'use strict';
const nodemailer = require('nodemailer');

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const port = option('port', 2525);
const count = option('count', 1000);
const concurrency = option('concurrency', 8);
const size = option('size', 30000);

const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port,
  secure: false,
  ignoreTLS: true,
  pool: true,
  maxConnections: concurrency,
  maxMessages: Infinity,
});

// half the bytes in each alternative, as in the publisher's multipart/alternative mail
const paragraph = 'Readers write to us every week about the small habits that keep a relationship kind. ';
const body = paragraph.repeat(Math.max(1, Math.floor(size / 2 / paragraph.length)));

function message(i) {
  const link = `http://localhost:8081/unsubscribe?token=reader${i}`;
  return {
    from: 'Pressline <newsletter@localhost>',
    to: `reader${i}@example.com`,
    subject: 'A post for you',
    text: `${body}\n\nUnsubscribe: ${link}\n`,
    html: `<p>${body}</p><p><a href="${link}">Unsubscribe</a></p>`,
    list: { unsubscribe: link },
  };
}

async function main() {
  const started = process.hrtime.bigint();
  let next = 0;
  let sent = 0;
  // keep a few messages queued per connection, never the whole list in memory
  async function worker() {
    while (next < count) {
      const i = next++;
      await transport.sendMail(message(i));
      sent++;
    }
  }
  await Promise.all(Array.from({ length: concurrency * 2 }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  transport.close();
  console.log(JSON.stringify({ sent, seconds }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
