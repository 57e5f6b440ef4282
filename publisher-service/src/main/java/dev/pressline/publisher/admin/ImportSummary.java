package dev.pressline.publisher.admin;

import java.util.List;

/**
 * What a CSV import did.
 *
 * @param accepted rows written to the subscriber list
 * @param skipped rows left out, each with its line number and reason
 */
public record ImportSummary(int accepted, List<String> skipped) {
  public ImportSummary {
    skipped = List.copyOf(skipped);
  }

  /** The summary's first line, as the CLI prints it and the console shows it. */
  public String headline(boolean confirmed) {
    return String.format("Imported %d subscriber(s) as %s; skipped %d row(s).", accepted,
        confirmed ? "confirmed" : "pending (no mail is sent to them until they confirm)", skipped.size());
  }
}
