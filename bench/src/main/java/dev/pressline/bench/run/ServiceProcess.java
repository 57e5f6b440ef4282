package dev.pressline.bench.run;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Pressline service running from its shaded jar in a JVM of its own, as in production, so its
 * heap, threads and start-up are its own and not the benchmark driver's.
 */
public final class ServiceProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ChildProcess process;
  private final int port;

  private ServiceProcess(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code jar} with {@code env}; {@code port} must be the HTTP port the env gives the
   * service, so the driver can ask its {@code /health}.
   */
  public static ServiceProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> env,
      int port, Path logFile) {
    requireNonNull(jar, "jar");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    return new ServiceProcess(ChildProcess.start(name, command, env, logFile), port);
  }

  /** Waits until {@code /health} answers 200 (the service has read its topics); fails if it dies first. */
  public Duration awaitHealthy(Duration timeout) throws InterruptedException {
    return awaitHealthy(timeout, Duration.ofMillis(20));
  }

  /**
   * As {@link #awaitHealthy(Duration)}, asking every {@code interval}. A slow health check is
   * waited for rather than abandoned, so the driver never has more than one request in flight.
   */
  public Duration awaitHealthy(Duration timeout, Duration interval) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url("/health"))).timeout(timeout).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service stopped while starting; its log " + process.logFile()
            + " ends with:\n" + tail(process.output()));
      }
      try {
        if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - process.startedNanos());
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(interval.toMillis());
    }
    throw new IllegalStateException("service not healthy within " + timeout.toSeconds() + " s; see "
        + process.logFile());
  }

  /** The body of a GET of {@code path}; fails on any answer but 200. */
  public String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return response.body();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return process.logFile();
  }

  private static String tail(String text) {
    return text.length() <= 3000 ? text : text.substring(text.length() - 3000);
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
