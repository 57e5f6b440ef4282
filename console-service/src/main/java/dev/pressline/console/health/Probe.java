package dev.pressline.console.health;

/**
 * One service's answer to its health endpoints.
 *
 * @param service its name
 * @param url its base URL
 * @param ready whether {@code /health/ready} said 200
 * @param readiness what it said (or why it could not be asked)
 * @param live whether {@code /health/live} said 200
 * @param liveness what it said
 */
public record Probe(String service, String url, boolean ready, String readiness, boolean live, String liveness) {}
