package dev.pressline.reliability.hostile;

/**
 * One malformed or malicious post file.
 *
 * @param kind which family of hostility it belongs to, for the figures
 * @param name the file name as dropped (may hold control characters)
 * @param bytes the content
 */
public record HostileFile(String kind, String name, byte[] bytes) {

  @Override
  public String toString() {
    // failure reports list files: keep megabytes and control characters out of them
    return kind + " " + name.replaceAll("\\p{Cntrl}", "?") + " (" + bytes.length + " bytes)";
  }
}
