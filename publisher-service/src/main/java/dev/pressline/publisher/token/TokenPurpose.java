package dev.pressline.publisher.token;

/** What a token lets its holder do; a token made for one purpose is refused for any other. */
public enum TokenPurpose {
  CONFIRM,
  UNSUBSCRIBE
}
