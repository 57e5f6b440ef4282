package dev.pressline.console.view;

import dev.pressline.publisher.deliverylog.PostReport;

/**
 * One mailing of a post: its first sending, or a second one an update asked for ({@code resend: true}).
 *
 * @param name the mailing as the delivery log names it: the slug, or {@code <slug>@r<revision>}
 * @param label in words: "first sending", "resent on 5 Dec 2026 10:00 UTC after an update (revision 2)"
 * @param idSuffix what this mailing's element ids end with on the post's page: "" for the first, "-r2"
 * @param row its progress, as the posts list shows it
 * @param report its full delivery report
 */
public record Mailing(String name, String label, String idSuffix, PostRow row, PostReport report) {

  public boolean resend() {
    return !idSuffix.isEmpty();
  }
}
