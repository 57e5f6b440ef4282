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
}
