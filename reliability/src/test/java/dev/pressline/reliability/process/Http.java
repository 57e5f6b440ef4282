package dev.pressline.reliability.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP against a local port, as a browser, a podcast app or an attacker would speak it. */
public final class Http {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER).build();

  public HttpResponse<String> get(int port, String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(port, pathAndQuery)).timeout(Duration.ofSeconds(30)).build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The status of {@code GET path}, or -1 while nothing answers on the port. */
  public int status(int port, String path) {
    try {
      return client.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public static URI uri(int port, String pathAndQuery) {
    return URI.create("http://localhost:" + port + pathAndQuery);
  }
}
