package dev.pressline.ingest.process;

import dev.pressline.events.MediaRef;
import dev.pressline.events.PostEvent;
import dev.pressline.ingest.catalogue.Catalogue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The receipts written beside processed files, in words for editors. */
final class Receipts {

  private final String publicBaseUrl;

  Receipts(String publicBaseUrl) {
    this.publicBaseUrl = publicBaseUrl;
  }

  /** @param why why it is an update of that post, or new although its file name was known; or null */
  String published(PostEvent event, List<Path> media, List<String> warnings, Instant now, String why) {
    StringBuilder r = new StringBuilder();
    if (event.revision() == 1) {
      r.append("Published as a new post.\n");
    } else if (event.resend() && event.email()) {
      r.append("Published as an update (revision ").append(event.revision())
          .append("); the feed changes, and subscribers are emailed again as the front matter asks (resend: true).\n");
    } else {
      r.append("Published as an update (revision ").append(event.revision())
          .append("); the feed changes, subscribers are not emailed again (add ‘resend: true’ to the front matter "
              + "to email an important correction).\n");
    }
    if (why != null) {
      r.append(event.revision() == 1 ? "It is a new post because " : "It is an update of this post because ")
          .append(why).append('\n');
    }
    r.append('\n');
    line(r, "Title", event.title());
    line(r, "Slug", event.slug());
    line(r, "Public URL", publicBaseUrl + "/posts/" + event.slug());
    line(r, "Revision", String.valueOf(event.revision()));
    line(r, "Publish time", event.publishAt() + (event.publishAt().isAfter(now) ? " (scheduled: held until then)" : ""));
    line(r, "Author", event.author().isEmpty() ? "(none)" : event.author());
    line(r, "Summary", event.summary());
    line(r, "Email to subscribers", !event.email() ? "no (feed only)"
        : event.revision() == 1 ? "yes" : event.resend() ? "yes, again (resend: true)" : "no (update)");
    if (!event.tags().isEmpty()) {
      line(r, "Tags", String.join(", ", event.tags()));
    }
    media(r, "Audio", event.audio());
    media(r, "Image", event.image());
    for (Path m : media) {
      line(r, "Moved along", m.getFileName().toString());
    }
    line(r, "Source file", event.sourceFile());
    line(r, "Content hash", event.contentHash());
    line(r, "Ingested at", event.ingestedAt().toString());
    warnings(r, warnings);
    return r.toString();
  }

  String duplicate(String name, Catalogue.Entry entry, List<Path> media) {
    StringBuilder r = new StringBuilder();
    r.append("Not published again: exactly this content is already published, so nothing was sent.\n\n");
    line(r, "Same as", entry.slug() + " (revision " + entry.revision() + ")");
    line(r, "Public URL", publicBaseUrl + "/posts/" + entry.slug());
    line(r, "Source file", name);
    for (Path m : media) {
      line(r, "Moved along", m.getFileName().toString());
    }
    return r.toString();
  }

  String alreadyRetracted(String name, Catalogue.Entry entry) {
    return "Nothing to do: the post ‘" + entry.slug() + "’ was already withdrawn.\n\nSource file: " + name + "\n";
  }

  String retracted(String name, PostEvent event, List<String> warnings) {
    StringBuilder r = new StringBuilder();
    r.append("Withdrawn: the post leaves the feed and the archive. Emails already sent cannot be recalled.\n\n");
    line(r, "Title", event.title());
    line(r, "Slug", event.slug());
    line(r, "Revision", String.valueOf(event.revision()));
    line(r, "Source file", name);
    warnings(r, warnings);
    return r.toString();
  }

  private static void media(StringBuilder r, String label, MediaRef ref) {
    if (ref != null) {
      line(r, label, ref.fileName() + ", " + ref.mimeType() + ", " + bytes(ref.byteSize())
          + (ref.durationSeconds() == null ? "" : ", " + duration(ref.durationSeconds())));
    }
  }

  private static void warnings(StringBuilder r, List<String> warnings) {
    if (warnings.isEmpty()) {
      return;
    }
    r.append("\nWarnings:\n");
    for (String w : warnings) {
      r.append("- ").append(w).append('\n');
    }
  }

  private static void line(StringBuilder r, String label, String value) {
    r.append(label).append(": ").append(value).append('\n');
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " bytes";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
  }

  static String duration(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
}
