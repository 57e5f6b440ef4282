package dev.pressline.publisher.render;

import static java.util.Objects.requireNonNull;

import dev.pressline.events.PostEvent;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Renders posts and confirmation requests into HTML and plain text with Pebble. Every value is
 * HTML-escaped by the engine; the post's HTML body is sanitised again here before it is inserted,
 * so nothing an editor's file carries can run in a reader's mailbox.
 */
public final class EmailRenderer {

  /** Gmail clips messages whose HTML is larger than about 102 KB; stay well under it. */
  static final int MAX_HTML_BYTES = 100_000;
  private static final int EXCERPT_CHARS = 4_000;

  private static final PolicyFactory BODY_POLICY =
      Sanitizers.FORMATTING
          .and(Sanitizers.BLOCKS)
          .and(Sanitizers.LINKS)
          .and(Sanitizers.TABLES)
          .and(Sanitizers.IMAGES);

  private final PebbleTemplate postHtml;
  private final PebbleTemplate postText;
  private final PebbleTemplate confirmHtml;
  private final PebbleTemplate confirmText;
  private final URI publicBaseUrl;
  private final String senderName;
  private final SecureRandom random = new SecureRandom();

  public EmailRenderer(URI publicBaseUrl, MailIdentity identity) {
    this.publicBaseUrl = requireNonNull(publicBaseUrl, "publicBaseUrl");
    String personal = requireNonNull(identity, "identity").from().getPersonal();
    this.senderName = personal == null || personal.isBlank() ? identity.from().getAddress() : personal;
    ClasspathLoader htmlLoader = new ClasspathLoader(EmailRenderer.class.getClassLoader());
    htmlLoader.setPrefix("dev/pressline/publisher/render");
    PebbleEngine html =
        new PebbleEngine.Builder().loader(htmlLoader).autoEscaping(true).defaultEscapingStrategy("html")
            .strictVariables(true).build();
    ClasspathLoader textLoader = new ClasspathLoader(EmailRenderer.class.getClassLoader());
    textLoader.setPrefix("dev/pressline/publisher/render");
    // plain text must not be HTML-escaped: an apostrophe stays an apostrophe; and its line breaks
    // are its layout: Pebble's default drops the one after every tag, {{ value }} included, which ran
    // title, byline and links together on one line
    PebbleEngine text = new PebbleEngine.Builder().loader(textLoader).autoEscaping(false)
        .newLineTrimming(false).strictVariables(true).build();
    this.postHtml = html.getTemplate("post.html.peb");
    this.postText = text.getTemplate("post.txt.peb");
    this.confirmHtml = html.getTemplate("confirm.html.peb");
    this.confirmText = text.getTemplate("confirm.txt.peb");
  }

  /**
   * The episode's audio under the readable name feed-service serves it by,
   * {@code /media/<content hash>/<slug>.<extension>}: a reader who saves it gets {@code <slug>.mp3}.
   */
  private String listenUrl(PostEvent post) {
    String stored = post.audio().fileName();
    int dot = stored.lastIndexOf('.');
    String readable = dot > 0 ? post.slug() + stored.substring(dot) : post.slug();
    return publicBaseUrl + "/media/" + URLEncoder.encode(dot > 0 ? stored.substring(0, dot) : stored, StandardCharsets.UTF_8)
        + "/" + URLEncoder.encode(readable, StandardCharsets.UTF_8);
  }

  /** The newsletter email of {@code post}, with the recipient's own unsubscribe link. */
  public RenderedEmail renderPost(PostEvent post, URI unsubscribeUrl) {
    Map<String, Object> model = new HashMap<>();
    String title = HeaderText.singleLine(post.title());
    model.put("title", title);
    model.put("author", HeaderText.singleLine(post.author()));
    model.put("preheader", preheader(post));
    model.put("viewUrl", publicBaseUrl + "/posts/" + URLEncoder.encode(post.slug(), StandardCharsets.UTF_8));
    model.put("listenUrl", post.hasAudio() ? listenUrl(post) : null);
    model.put("unsubscribeUrl", unsubscribeUrl.toString());
    model.put("senderName", senderName);
    model.put("truncated", false);
    model.put("paragraphs", List.of());
    model.put("body", BODY_POLICY.sanitize(post.html()));
    String html = evaluate(postHtml, model, post.slug());
    String fullText = post.text();
    if (html.getBytes(StandardCharsets.UTF_8).length > MAX_HTML_BYTES) {
      // a clipped mail hides the unsubscribe link: send an excerpt and link to the whole post instead
      model.put("truncated", true);
      // the excerpt is plain text: the template escapes each paragraph
      model.put("paragraphs", List.of(excerpt(post.text()).split("\n\\s*\n")));
      html = evaluate(postHtml, model, post.slug());
      fullText = excerpt(post.text());
    }
    // the template puts the blank lines around the body
    model.put("body", fullText.strip());
    String text = evaluate(postText, model, post.slug());
    return new RenderedEmail(HeaderText.subject(post.title()), html, text);
  }

  /**
   * The newsletter of {@code post} rendered once for all its readers, with a slot wherever the
   * template puts the reader's own unsubscribe link. The slots are marked by a random string made
   * for this rendering alone: a fixed marker could be written into a post (a link, an image's
   * address, plain text), and each reader's link would go out there too, to wherever the post points.
   */
  public PersonalisableEmail renderPostForEveryone(PostEvent post) {
    String slot;
    do {
      byte[] nonce = new byte[16];
      random.nextBytes(nonce);
      // URL-safe characters only: the slot reads the same HTML-escaped as in plain text
      slot = "https://pressline.invalid/unsubscribe/" + HexFormat.of().formatHex(nonce);
    } while (mentions(post, slot));
    return new PersonalisableEmail(renderPost(post, URI.create(slot)), slot);
  }

  private static boolean mentions(PostEvent post, String slot) {
    return Stream.of(post.title(), post.author(), post.summary(), post.html(), post.text())
        .anyMatch(field -> field != null && field.contains(slot));
  }

  /** The double opt-in request sent to a new subscriber. */
  public RenderedEmail renderConfirmation(String email, URI confirmUrl, URI unsubscribeUrl, Duration validFor) {
    Map<String, Object> model = new HashMap<>();
    String subject = "Please confirm your subscription to " + senderName;
    model.put("title", subject);
    model.put("preheader", "One click and you will receive " + senderName + ".");
    model.put("email", email);
    model.put("confirmUrl", confirmUrl.toString());
    model.put("unsubscribeUrl", unsubscribeUrl.toString());
    model.put("senderName", senderName);
    model.put("validDays", Math.max(1, validFor.toDays()));
    return new RenderedEmail(
        HeaderText.subject(subject),
        evaluate(confirmHtml, model, "confirmation"),
        evaluate(confirmText, model, "confirmation"));
  }

  private static String preheader(PostEvent post) {
    String source = post.summary().isBlank() ? post.text() : post.summary();
    String line = HeaderText.singleLine(source);
    return line.length() <= 140 ? line : line.substring(0, 139).stripTrailing() + "…";
  }

  private static String excerpt(String text) {
    if (text.length() <= EXCERPT_CHARS) {
      return text;
    }
    int cut = text.lastIndexOf("\n\n", EXCERPT_CHARS);
    return text.substring(0, cut > EXCERPT_CHARS / 2 ? cut : EXCERPT_CHARS).stripTrailing() + "\n\n…";
  }

  private static String evaluate(PebbleTemplate template, Map<String, Object> model, String what) {
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model);
    } catch (IOException | RuntimeException e) {
      throw new RenderException("cannot render the email for " + what + ": " + e.getMessage(), e);
    }
    return out.toString();
  }
}
