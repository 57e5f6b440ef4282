package dev.pressline.console.health;

/**
 * One thing a service reports about itself, in words: "fan-out: running", "posts: 12".
 *
 * @param name what is checked, in words
 * @param state its state or figure, in words
 * @param good false when the state is a problem (a part that stopped); true otherwise
 */
public record Check(String name, String state, boolean good) {}
