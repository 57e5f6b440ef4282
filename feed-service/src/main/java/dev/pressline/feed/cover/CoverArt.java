package dev.pressline.feed.cover;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The show's cover when none is configured: the channel title in white on a plain blue square.
 * Apple Podcasts refuses a show without {@code itunes:image} of 1400 to 3000 pixels square, so a
 * plain cover at the smallest accepted size beats none at all.
 */
public final class CoverArt {

  /** Pixels along each side: the least Apple accepts, and a small file. */
  public static final int SIZE = 1400;

  private static final int MARGIN = 140;
  private static final Color BACKGROUND = new Color(0x1f, 0x3a, 0x5f);
  // DejaVu is on every Debian with fonts; Java falls back to its logical sans-serif font without it
  private static final String FONT = "DejaVu Sans";

  /** A PNG of {@link #SIZE} pixels square with {@code title} centred on it. */
  public byte[] png(String title) {
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, SIZE, SIZE);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setColor(Color.WHITE);
      drawCentred(g, title.strip().isEmpty() ? "Podcast" : title.strip());
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The largest font size (down to a readable least) at which the wrapped title fits. */
  private static void drawCentred(Graphics2D g, String title) {
    int width = SIZE - 2 * MARGIN;
    List<String> lines = List.of(title);
    FontMetrics metrics = null;
    for (int size = 180; size >= 40; size -= 10) {
      g.setFont(new Font(FONT, Font.BOLD, size));
      metrics = g.getFontMetrics();
      lines = wrap(title, metrics, width);
      if (lines.size() * metrics.getHeight() <= width && widest(lines, metrics) <= width) {
        break;
      }
    }
    int lineHeight = metrics.getHeight();
    int y = (SIZE - lines.size() * lineHeight) / 2 + metrics.getAscent();
    for (String line : lines) {
      g.drawString(line, Math.max(MARGIN / 2, (SIZE - metrics.stringWidth(line)) / 2), y);
      y += lineHeight;
    }
  }

  private static List<String> wrap(String title, FontMetrics metrics, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : title.split("\\s+")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (line.isEmpty() || metrics.stringWidth(candidate) <= width) {
        line.setLength(0);
        line.append(candidate);
      } else {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      }
    }
    lines.add(line.toString());
    return lines;
  }

  private static int widest(List<String> lines, FontMetrics metrics) {
    return lines.stream().mapToInt(metrics::stringWidth).max().orElse(0);
  }
}
