package dev.pressline.ingest.parse;

import java.io.StringReader;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the YAML front matter of a Markdown post into {@link PostMeta}, checking each field's type and
 * reporting problems with the line number in the file. Values are read as YAML nodes, not converted by
 * SnakeYAML, so "2026-05-01" stays a date the editor meant and no YAML tag can build objects.
 */
final class FrontMatterReader {

  static final Set<String> FIELDS =
      Set.of("title", "slug", "author", "date", "summary", "tags", "audio", "image", "explicit", "email",
          "episode", "season", "retract", "resend");

  /**
   * The front matter's fields.
   *
   * @param title the title, or null
   * @param titleLine the line of the title field
   * @param meta every other field
   * @param bodyStart index in the text where the Markdown body starts
   * @param bodyFirstLine line number of the body's first line
   * @param warnings unknown fields and other things to tell the editor
   */
  record Result(String title, int titleLine, PostMeta meta, int bodyStart, int bodyFirstLine, List<String> warnings) {}

  /** No post is dated before this: older dates are typing errors or hostile values. */
  static final Instant EARLIEST_DATE = Instant.parse("1900-01-01T00:00:00Z");
  /** How far ahead a post may be scheduled; beyond that a date is a typing error, not a plan. */
  static final int LATEST_YEARS_AHEAD = 10;
  /** Most tags a post may have, and the longest a tag may be: feeds and mail show them all. */
  static final int MAX_TAGS = 50;
  static final int MAX_TAG_LENGTH = 100;
  /** Highest episode or season number: no show runs a daily episode for three hundred years. */
  static final int MAX_NUMBER = 100_000;

  private final ZoneId zone;
  private final Clock clock;
  private final Yaml yaml;

  /** Not for concurrent use: one reader per thread, as each {@link PostParser} has its own. */
  FrontMatterReader(ZoneId zone, Clock clock) {
    this.zone = zone;
    this.clock = clock;
    LoaderOptions options = new LoaderOptions();
    // front matter is a handful of fields: no alias bombs, no huge documents
    options.setMaxAliasesForCollections(10);
    options.setCodePointLimit(64 * 1024);
    this.yaml = new Yaml(options);
  }

  /** Whether {@code text} starts with a front matter block. */
  static boolean hasFrontMatter(String text) {
    return text.startsWith("---\n") || text.equals("---");
  }

  Result read(String text) {
    String[] lines = text.split("\n", -1);
    int close = -1;
    for (int i = 1; i < lines.length; i++) {
      String l = TxtParser.trimEnd(lines[i]);
      if (l.equals("---") || l.equals("...")) {
        close = i;
        break;
      }
    }
    if (close < 0) {
      throw new RejectedPostException(
          "The front matter that starts here is never closed: add a line with three dashes (---) after its last field.", 1);
    }
    StringBuilder yamlText = new StringBuilder();
    for (int i = 1; i < close; i++) {
      yamlText.append(lines[i]).append('\n');
    }
    int bodyStart = 0;
    for (int i = 0; i <= close; i++) {
      bodyStart += lines[i].length() + 1;
    }
    bodyStart = Math.min(bodyStart, text.length());

    Node root;
    try {
      root = yaml.compose(new StringReader(yamlText.toString()));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 2;
      throw new RejectedPostException(
          "The front matter is not valid YAML: " + e.getProblem() + ". Write each field as `name: value`.", line);
    } catch (YAMLException e) {
      throw new RejectedPostException("The front matter is not valid YAML: " + e.getMessage(), 2);
    }
    List<String> warnings = new ArrayList<>();
    if (root == null) {
      return new Result(null, 0, PostMeta.EMPTY, bodyStart, close + 2, warnings);
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new RejectedPostException(
          "The front matter must be a list of fields written as `name: value`, one per line.", 2);
    }
    Fields f = new Fields();
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      int line = tuple.getKeyNode().getStartMark().getLine() + 2;
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        throw new RejectedPostException("A front matter field name must be a plain word.", line);
      }
      String key = keyNode.getValue().strip().toLowerCase(Locale.ROOT);
      if (!seen.add(key)) {
        throw new RejectedPostException("The field ‘" + key + "’ appears twice in the front matter.", line);
      }
      Node value = tuple.getValueNode();
      int valueLine = value.getStartMark().getLine() + 2;
      switch (key) {
        case "title" -> {
          f.title = Titles.checkTitle(scalar(key, value, valueLine), valueLine);
          f.titleLine = valueLine;
        }
        case "slug" -> f.slug = Slugs.checkRequested(scalar(key, value, valueLine), valueLine);
        case "author" -> f.author = singleLine(key, scalar(key, value, valueLine), valueLine);
        case "date" -> f.publishAt = date(scalar(key, value, valueLine), valueLine);
        case "summary" -> f.summary = Titles.collapseSpaces(scalar(key, value, valueLine));
        case "tags" -> f.tags = tags(value, valueLine);
        case "audio" -> f.audio = FileNames.checkBeside(scalar(key, value, valueLine), key, valueLine);
        case "image" -> f.image = FileNames.checkBeside(scalar(key, value, valueLine), key, valueLine);
        case "explicit" -> f.explicit = bool(key, value, valueLine);
        case "email" -> f.email = bool(key, value, valueLine);
        case "retract" -> f.retract = bool(key, value, valueLine);
        case "resend" -> f.resend = bool(key, value, valueLine);
        case "episode" -> f.episode = number(key, value, valueLine);
        case "season" -> f.season = number(key, value, valueLine);
        default -> warnings.add(
            "Line " + line + ": the front matter field ‘" + keyNode.getValue() + "’ is not known and was ignored "
                + "(known fields: " + String.join(", ", FIELDS.stream().sorted().toList()) + ").");
      }
    }
    PostMeta meta =
        new PostMeta(f.slug, f.author, f.publishAt, f.summary, f.tags, f.audio, f.image, f.explicit, f.email,
            f.episode, f.season, Boolean.TRUE.equals(f.retract),
            Boolean.TRUE.equals(f.resend));
    return new Result(f.title, f.titleLine, meta, bodyStart, close + 2, warnings);
  }

  private static final class Fields {
    String title;
    int titleLine;
    String slug;
    String author;
    Instant publishAt;
    String summary;
    List<String> tags = List.of();
    String audio;
    String image;
    Boolean explicit;
    Boolean email;
    Boolean retract;
    Boolean resend;
    Integer episode;
    Integer season;
  }

  private static String scalar(String key, Node value, int line) {
    if (!(value instanceof ScalarNode s)) {
      throw new RejectedPostException("‘" + key + "’ must be a single value, not a list or a group of fields.", line);
    }
    return s.getValue().strip();
  }

  private static String singleLine(String key, String value, int line) {
    if (value.contains("\n") || value.chars().anyMatch(Character::isISOControl)) {
      throw new RejectedPostException("‘" + key + "’ must be one line without control characters.", line);
    }
    return value;
  }

  private static Boolean bool(String key, Node value, int line) {
    String raw = scalar(key, value, line).toLowerCase(Locale.ROOT);
    return switch (raw) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new RejectedPostException(
          "‘" + key + "’ must be true or false; it is ‘" + raw + "’.", line);
    };
  }

  private static Integer number(String key, Node value, int line) {
    String raw = scalar(key, value, line);
    try {
      int n = Integer.parseInt(raw);
      if (n < 0 || n > MAX_NUMBER) {
        throw new NumberFormatException(raw);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new RejectedPostException("‘" + key + "’ must be a whole number from 0 to " + MAX_NUMBER + ", such as 12; it is ‘"
          + shorten(raw) + "’.", line);
    }
  }

  private static List<String> tags(Node value, int line) {
    List<String> tags = new ArrayList<>();
    if (value instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        tags.add(singleLine("tags", scalar("tags", item, item.getStartMark().getLine() + 2), line));
      }
    } else if (value instanceof ScalarNode s) {
      for (String t : s.getValue().split(",")) {
        tags.add(singleLine("tags", t.strip(), line));
      }
    } else {
      throw new RejectedPostException("‘tags’ must be a list, like [advice, podcast].", line);
    }
    List<String> distinct = tags.stream().filter(t -> !t.isEmpty()).distinct().toList();
    if (distinct.size() > MAX_TAGS) {
      throw new RejectedPostException("A post may have at most " + MAX_TAGS + " tags; this one has " + distinct.size()
          + ". Keep the ones readers would look for.", line);
    }
    for (String t : distinct) {
      if (t.length() > MAX_TAG_LENGTH) {
        throw new RejectedPostException("A tag may be at most " + MAX_TAG_LENGTH + " characters long; ‘" + shorten(t)
            + "’ is " + t.length() + ".", line);
      }
    }
    return distinct;
  }

  private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern HAS_OFFSET = Pattern.compile(".*(Z|z|[+-]\\d{2}(:?\\d{2})?)$");

  /**
   * ISO-8601 date, or date and time with or without an offset; without one, in the configured zone.
   * It must be a date a publication can have: from 1900 to ten years ahead.
   */
  private Instant date(String raw, int line) {
    String v = raw.strip();
    Instant date = parseDate(v, line);
    Instant latest = clock.instant().atZone(zone).plusYears(LATEST_YEARS_AHEAD).toInstant();
    if (date.isBefore(EARLIEST_DATE) || date.isAfter(latest)) {
      throw new RejectedPostException("‘date’ " + shorten(v) + " is not a date a post can have: a post is dated from "
          + "1900 to " + LATEST_YEARS_AHEAD + " years ahead (" + LocalDate.ofInstant(latest, zone) + " at the latest). "
          + "Check the year.", line);
    }
    return date;
  }

  private static String shorten(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "…" : v;
  }

  private Instant parseDate(String v, int line) {
    try {
      if (DATE_ONLY.matcher(v).matches()) {
        return LocalDate.parse(v).atStartOfDay(zone).toInstant();
      }
      String iso = v.replace(' ', 'T');
      if (HAS_OFFSET.matcher(iso).matches()) {
        return OffsetDateTime.parse(iso.toUpperCase(Locale.ROOT)).toInstant();
      }
      return LocalDateTime.parse(iso).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      throw new RejectedPostException(
          "‘date’ is not a date: ‘" + shorten(v) + "’. Write it like 2026-11-22 or 2026-11-22T09:30:00+01:00.", line);
    }
  }

}
