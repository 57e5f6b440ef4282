package dev.pressline.ingest.catalogue;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A small fingerprint of a post's text (a MinHash of its word pairs) that tells how alike two texts
 * are without keeping the texts: the catalogue holds one per post, also for thousands of posts.
 * Two texts that share most of their word pairs share most of their minima.
 */
public final class TextSketch {

  /** Minima kept: enough to tell "mostly the same" from "a different post" to within a few percent. */
  private static final int SIZE = 64;
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final int[] minima;
  private final int words;
  private final boolean empty;

  private TextSketch(int[] minima, int words) {
    this.minima = minima;
    this.words = words;
    this.empty = words == 0;
  }

  /** How many words the text has: too few, and no comparison means much. */
  public int words() {
    return words;
  }

  /** The sketch of a post's plain text. */
  public static TextSketch of(String text) {
    String[] words = NOT_WORD.split(text.toLowerCase(Locale.ROOT));
    int[] minima = new int[SIZE];
    Arrays.fill(minima, Integer.MAX_VALUE);
    String previous = null;
    int count = 0;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      // pairs of words, so a text is more than its vocabulary; a one-word text counts its word
      int shingle = previous == null ? word.hashCode() : 31 * previous.hashCode() + word.hashCode();
      previous = word;
      count++;
      for (int i = 0; i < SIZE; i++) {
        int h = mix(shingle, i);
        if (h < minima[i]) {
          minima[i] = h;
        }
      }
    }
    return new TextSketch(minima, count);
  }

  /** How alike the two texts are, from 0 (nothing in common) to 1 (the same word pairs). */
  public double similarity(TextSketch other) {
    if (empty || other.empty) {
      return empty == other.empty ? 1 : 0;
    }
    int same = 0;
    for (int i = 0; i < SIZE; i++) {
      if (minima[i] == other.minima[i]) {
        same++;
      }
    }
    return (double) same / SIZE;
  }

  /** One of {@link #SIZE} independent hash functions (a SplitMix64 finaliser, seeded by {@code i}). */
  private static int mix(int value, int i) {
    long x = value * 0x9E3779B97F4A7C15L + (i + 1) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return (int) (x ^ (x >>> 31));
  }
}
