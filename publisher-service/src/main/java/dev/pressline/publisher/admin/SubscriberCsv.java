package dev.pressline.publisher.admin;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.SubscriberEvent;
import dev.pressline.events.SubscriberStatus;
import dev.pressline.publisher.PublisherException;
import dev.pressline.publisher.subscribe.EmailAddress;
import dev.pressline.publisher.subscribe.SubscriberWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** Imports subscribers from CSV and exports the subscriber list to CSV (commons-csv). */
public final class SubscriberCsv {

  /** Header names accepted for the address column, compared without case. */
  private static final List<String> EMAIL_HEADERS = List.of("email", "e-mail", "email address", "mail");

  private final SubscriberWriter writer;

  public SubscriberCsv(SubscriberWriter writer) {
    this.writer = requireNonNull(writer, "writer");
  }

  /**
   * Reads {@code csv} (a header row naming the email column) and records every new, valid address as
   * CONFIRMED when {@code confirmed}, else PENDING. Nobody who unsubscribed or bounced is brought back,
   * and nobody already confirmed is touched.
   *
   * @param current the subscriber list as it is now
   * @param progress told the number of rows done, now and then
   */
  public ImportSummary importFrom(Reader csv, String source, boolean confirmed, Map<String, SubscriberEvent> current,
      IntConsumer progress) {
    List<CSVRecord> rows;
    int emailColumn;
    try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
        .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).setTrim(true).get().parse(csv)) {
      emailColumn = emailColumn(parser.getHeaderNames());
      rows = parser.getRecords();
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      throw new PublisherException("cannot read the CSV file: " + e.getMessage(), e);
    }
    SubscriberStatus status = confirmed ? SubscriberStatus.CONFIRMED : SubscriberStatus.PENDING;
    Set<String> seen = new HashSet<>();
    List<String> skipped = new ArrayList<>();
    int accepted = 0;
    for (int i = 0; i < rows.size(); i++) {
      CSVRecord row = rows.get(i);
      // the header is line 1
      long line = row.getRecordNumber() + 1;
      String raw = emailColumn < row.size() ? row.get(emailColumn) : "";
      Optional<String> email = EmailAddress.normalise(raw);
      String reason = null;
      if (email.isEmpty()) {
        reason = raw.isBlank() ? "no address" : "'" + raw + "' is not a valid address";
      } else if (!seen.add(email.get())) {
        reason = email.get() + " appears earlier in the file";
      } else {
        SubscriberEvent existing = current.get(email.get());
        if (existing != null && existing.status() != SubscriberStatus.PENDING) {
          reason = email.get() + switch (existing.status()) {
            case CONFIRMED -> " is already subscribed";
            case UNSUBSCRIBED -> " unsubscribed earlier; not added back";
            case BOUNCED -> " bounced earlier; not added back";
            default -> " is " + existing.status();
          };
        } else if (existing != null && !confirmed) {
          reason = email.get() + " is already waiting for confirmation";
        }
      }
      if (reason != null) {
        skipped.add("line " + line + ": " + reason);
      } else {
        writer.writeAsync(email.get(), status, source);
        accepted++;
      }
      if ((i + 1) % 100 == 0 || i + 1 == rows.size()) {
        progress.accept(i + 1);
      }
    }
    writer.flush();
    return new ImportSummary(accepted, skipped);
  }

  /** How many data rows {@code csv} has, for the progress bar. */
  public static int countRows(Reader csv) {
    try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
        .setIgnoreEmptyLines(true).get().parse(csv)) {
      int rows = 0;
      for (CSVRecord ignored : parser) {
        rows++;
      }
      return rows;
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      throw new PublisherException("cannot read the CSV file: " + e.getMessage(), e);
    }
  }

  /** Writes the whole list: email, status, changed_at, source. */
  public static void exportTo(Writer out, List<SubscriberEvent> subscribers) {
    try (CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader("email", "status", "changed_at", "source").get()
        .print(out)) {
      for (SubscriberEvent s : subscribers) {
        printer.printRecord(s.email(), s.status().name().toLowerCase(Locale.ROOT), s.changedAt(), s.source());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the CSV export", e);
    }
  }

  private static int emailColumn(List<String> headers) {
    for (int i = 0; i < headers.size(); i++) {
      if (EMAIL_HEADERS.contains(headers.get(i).strip().toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    throw new PublisherException("the CSV file needs a header row with an 'email' column; found " + headers);
  }
}
