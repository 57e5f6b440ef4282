package dev.pressline.ingest.check;

import dev.pressline.ingest.IngestConfig;
import dev.pressline.ingest.media.MediaProbe;
import dev.pressline.ingest.parse.FileNames;
import dev.pressline.ingest.parse.ParsedPost;
import dev.pressline.ingest.parse.PostParser;
import dev.pressline.ingest.parse.RejectedPostException;
import dev.pressline.ingest.parse.Slugs;
import dev.pressline.support.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ingest-service check FILE…}: what each post would become (title, slug, summary, publish
 * time, audio, warnings and errors) without publishing anything, plus HTML previews of the email and
 * the archive page. Exits with 1 if any file would be rejected.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Checks posts before they are dropped: prints what would be published and writes HTML previews.")
public final class CheckCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "post files (.txt or .md)")
  List<Path> files;

  @Option(names = "--preview-dir", paramLabel = "DIR", defaultValue = "preview",
      description = "where the HTML previews go (default: ${DEFAULT-VALUE})")
  Path previewDir;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    IngestConfig config = IngestConfig.from(Settings.fromEnvironment());
    PostChecker checker = new PostChecker(new PostParser(config.zone(), Clock.systemUTC()), Clock.systemUTC(), config.publicBaseUrl());
    Files.createDirectories(previewDir);
    int rejected = 0;
    for (Path file : files) {
      if (!checker.check(file, previewDir, out)) {
        rejected++;
      }
    }
    out.flush();
    return rejected == 0 ? 0 : 1;
  }

  /** Prints one post's check; kept apart from picocli so tests call it directly. */
  public static final class PostChecker {
    private final PostParser parser;
    private final Clock clock;
    private final String publicBaseUrl;
    private final MediaProbe probe = new MediaProbe();

    public PostChecker(PostParser parser, Clock clock, String publicBaseUrl) {
      this.parser = parser;
      this.clock = clock;
      this.publicBaseUrl = publicBaseUrl;
    }

    /** Returns false when the post would be rejected. */
    public boolean check(Path file, Path previewDir, PrintWriter out) throws IOException {
      String name = file.getFileName().toString();
      out.println("== " + name);
      ParsedPost post;
      try {
        if (!PostParser.isPost(name)) {
          throw new RejectedPostException("Only .txt and .md files are posts.");
        }
        post = parser.parse(name, Files.readAllBytes(file));
      } catch (RejectedPostException e) {
        out.println("ERROR: would be rejected. " + e.reason());
        out.println();
        return false;
      }
      Instant now = clock.instant();
      String slug = post.meta().slug() != null ? post.meta().slug() : Slugs.fromTitle(post.title());
      Instant publishAt = post.meta().publishAt() != null ? post.meta().publishAt() : now;
      out.println("Title:        " + post.title());
      out.println("Slug:         " + slug + "  (gets -2, -3… if another post already has it)");
      out.println("Public URL:   " + publicBaseUrl + "/posts/" + slug);
      out.println("Summary:      " + post.summary());
      out.println("Publish time: " + (publishAt.isAfter(now) ? publishAt + " (scheduled)" : "at once"));
      out.println("Author:       " + (post.meta().author() == null ? "(none)" : post.meta().author()));
      out.println("Email:        " + (Boolean.FALSE.equals(post.meta().email()) ? "no (feed only)" : "yes"));
      if (post.meta().retract()) {
        out.println("Retract:      yes, withdraws the post " + slug);
      }
      String audio = post.meta().audio() != null ? post.meta().audio() : sameBaseNameAudio(file);
      boolean mediaOk = media(out, "Audio:        ", file, audio, true) & media(out, "Image:        ", file, post.meta().image(), false);
      for (String w : post.warnings()) {
        out.println("WARNING: " + w);
      }
      Path email = previewDir.resolve(slug + ".email.html");
      Path page = previewDir.resolve(slug + ".page.html");
      Files.writeString(email, Previews.email(post));
      Files.writeString(page, Previews.page(post, publishAt));
      out.println("Previews:     " + email + ", " + page);
      out.println();
      return mediaOk;
    }

    /** Prints what a media file beside the post is; false when it would get the post rejected. */
    private boolean media(PrintWriter out, String label, Path post, String name, boolean audio) throws IOException {
      if (name == null) {
        return true;
      }
      Path file = post.resolveSibling(name);
      if (!Files.isRegularFile(file)) {
        out.println(label + name + " NOT FOUND beside the post: drop it with the post, or the post waits and is then rejected");
        return true;
      }
      String ext = FileNames.extension(name);
      try {
        MediaProbe.Probe p = audio ? probe.audio(file, ext, name) : probe.image(file, ext, name);
        out.println(label + name + ", " + p.mimeType() + ", " + Files.size(file) + " bytes"
            + (p.durationSeconds() == null ? "" : ", " + p.durationSeconds() + " s"));
        return true;
      } catch (RejectedPostException e) {
        out.println("ERROR: would be rejected. " + e.reason());
        return false;
      }
    }

    private static String sameBaseNameAudio(Path post) {
      String base = FileNames.baseName(post.getFileName().toString());
      for (String ext : List.of("mp3", "m4a")) {
        if (Files.isRegularFile(post.resolveSibling(base + "." + ext))) {
          return base + "." + ext;
        }
      }
      return null;
    }
  }
}
