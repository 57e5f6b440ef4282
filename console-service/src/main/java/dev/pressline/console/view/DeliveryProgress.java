package dev.pressline.console.view;

import static java.util.Objects.requireNonNull;

import dev.pressline.console.time.ReadableTime;
import dev.pressline.events.DeliveryRecord;
import dev.pressline.events.PostChange;
import dev.pressline.events.PostEvent;
import dev.pressline.publisher.deliverylog.DeliveryReports;
import dev.pressline.publisher.deliverylog.PostReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * Where each mailing of each post stands (its first sending, and each second mailing an update asked
 * for), from the delivery log (through the CLI's {@link DeliveryReports}) and the fan-out sizes, with
 * the sending rate measured between successive looks.
 */
public final class DeliveryProgress {

  /** The rate is measured over this much of the recent past. */
  private static final Duration RATE_WINDOW = Duration.ofSeconds(30);
  private static final String FIRST = "first sending";

  private record Sample(Instant at, int done) {}

  private final Catalogue catalogue;
  private final FanOutSizes fanOuts;
  private final DeliveryReports reports;
  private final Clock clock;
  private final Map<String, Deque<Sample>> samples = new HashMap<>();

  public DeliveryProgress(Catalogue catalogue, FanOutSizes fanOuts, DeliveryReports reports, Clock clock) {
    this.catalogue = requireNonNull(catalogue, "catalogue");
    this.fanOuts = requireNonNull(fanOuts, "fanOuts");
    this.reports = requireNonNull(reports, "reports");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Every post, newest first. */
  public List<PostRow> rows() {
    return catalogue.newestFirst().stream().map(this::row).toList();
  }

  /** The post with its latest mailing's progress, as the posts list shows it. */
  public PostRow row(PostEvent post) {
    SortedMap<Integer, Instant> resends = fanOuts.resendsOf(post.slug());
    if (resends.isEmpty()) {
      return figures(post, post.slug(), FIRST, reports.report(post.slug()));
    }
    int revision = resends.lastKey();
    String mailing = DeliveryRecord.resendMailing(post.slug(), revision);
    return figures(post, mailing, resentLabel(revision, resends.get(revision)), reports.report(mailing));
  }

  /**
   * Every mailing of the post, in the order they went out: the first sending, then each second
   * mailing an update asked for ({@code resend: true}), each with its own report.
   */
  public List<Mailing> mailings(PostEvent post) {
    List<Mailing> all = new ArrayList<>();
    PostReport first = reports.report(post.slug());
    all.add(new Mailing(post.slug(), FIRST, "", figures(post, post.slug(), FIRST, first), first));
    fanOuts.resendsOf(post.slug()).forEach((revision, at) -> {
      String name = DeliveryRecord.resendMailing(post.slug(), revision);
      String label = resentLabel(revision, at);
      PostReport report = reports.report(name);
      all.add(new Mailing(name, label, "-r" + revision, figures(post, name, label, report), report));
    });
    return all;
  }

  private static String resentLabel(int revision, Instant at) {
    return "resent on " + ReadableTime.of(at) + " after an update (revision " + revision + ")";
  }

  private PostRow figures(PostEvent post, String mailing, String label, PostReport report) {
    Instant now = clock.instant();
    String status = status(post, now);
    boolean emailed = post.email() && post.change() != PostChange.RETRACTED && !scheduled(post, now);
    OptionalInt fannedOut = fanOuts.recipients(mailing);
    int done = report.sent() + report.failed() + report.bounced();
    int recipients = fannedOut.isPresent() ? Math.max(fannedOut.getAsInt(), done + report.pending()) : -1;
    int pending = recipients < 0 ? report.pending() : recipients - done;
    int percent = recipients <= 0 ? (recipients == 0 ? 100 : 0) : (int) (100L * done / recipients);
    int sentPercent = recipients <= 0 ? 0 : (int) (100L * report.sent() / recipients);
    int failedPercent = recipients <= 0 ? 0 : percent - sentPercent;
    double perSecond = rate(mailing, now, done);
    String rate = perSecond > 0 && pending > 0 ? String.format(Locale.ROOT, "%.1f/s", perSecond) : "";
    String left = perSecond > 0 && pending > 0 ? words(Duration.ofSeconds((long) Math.ceil(pending / perSecond))) : "";
    return new PostRow(post.slug(), post.title(), status, emailed, recipients, report.sent(), pending,
        report.failed(), report.bounced(), report.possibleDuplicates().size(), percent, sentPercent, failedPercent,
        rate, left, label);
  }

  private synchronized double rate(String mailing, Instant now, int done) {
    Deque<Sample> seen = samples.computeIfAbsent(mailing, s -> new ArrayDeque<>());
    seen.addLast(new Sample(now, done));
    while (seen.size() > 2 && seen.peekFirst().at().isBefore(now.minus(RATE_WINDOW))) {
      seen.removeFirst();
    }
    Sample first = seen.peekFirst();
    long millis = Duration.between(first.at(), now).toMillis();
    return millis < 500 ? 0 : (done - first.done()) * 1000.0 / millis;
  }

  static String status(PostEvent post, Instant now) {
    if (post.change() == PostChange.RETRACTED) {
      return "retracted";
    }
    if (scheduled(post, now)) {
      return "scheduled for " + ReadableTime.of(post.publishAt());
    }
    String kind = post.revision() > 1 ? "updated (revision " + post.revision() + ")" : "published";
    return post.email() ? kind : kind + ", feed only";
  }

  private static boolean scheduled(PostEvent post, Instant now) {
    return post.publishAt() != null && post.publishAt().isAfter(now);
  }

  static String words(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + ((s / 60) % 60) + " min";
  }
}
