package dev.pressline.support.config;

/** A configuration value that cannot be used; the message names the setting and what it expects. */
public final class InvalidSettingException extends RuntimeException {
  public InvalidSettingException(String name, String value, String expected) {
    super("setting " + name + " is '" + value + "' but must be " + expected);
  }

  public InvalidSettingException(String name, String problem) {
    super("setting " + name + ": " + problem);
  }
}
