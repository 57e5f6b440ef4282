package dev.pressline.ingest.parse;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns the bytes of a {@code .txt} or {@code .md} post into a {@link ParsedPost}, or refuses them. */
public final class PostParser {

  /** The extensions of post files; everything else in the inbox is media or ignored. */
  public static final Set<String> POST_EXTENSIONS = Set.of("txt", "md", "markdown");

  private final TextDecoder decoder = new TextDecoder();
  private final TxtParser txt = new TxtParser();
  private final MarkdownParser markdown;

  public PostParser(ZoneId zone) {
    this(zone, Clock.systemUTC());
  }

  /** @param clock tells which front-matter dates lie too far ahead to be meant */
  public PostParser(ZoneId zone, Clock clock) {
    this.markdown = new MarkdownParser(zone, clock);
  }

  public static boolean isPost(String fileName) {
    return POST_EXTENSIONS.contains(FileNames.extension(fileName));
  }

  public ParsedPost parse(String fileName, byte[] bytes) {
    TextDecoder.Decoded decoded = decoder.decode(bytes);
    if (TxtParser.isBlank(decoded.text())) {
      throw new RejectedPostException("The file has only blank lines: there is no title and no text.");
    }
    ParsedPost post;
    try {
      post = FileNames.extension(fileName).equals("txt") ? txt.parse(decoded.text()) : markdown.parse(decoded.text());
    } catch (StackOverflowError e) {
      // hostile or broken nesting must cost one file, never the inbox thread (nor the check command)
      throw new RejectedPostException(
          "This file is nested too deeply to read (lists, quotes or symbols inside each other thousands of times)."
              + " Please simplify it and drop it again.");
    }
    if (decoded.encoding().startsWith("UTF-8") && !decoded.encoding().contains("BOM")) {
      return post;
    }
    List<String> warnings = new ArrayList<>(post.warnings());
    warnings.add("The file was read as " + decoded.encoding() + ".");
    return new ParsedPost(post.title(), post.html(), post.text(), post.summary(), post.meta(), warnings);
  }
}
