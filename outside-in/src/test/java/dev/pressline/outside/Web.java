package dev.pressline.outside;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP requests against the running jars. */
final class Web {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpResponse<byte[]> get(String url, String... headers) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: GET " + url, e);
    }
  }

  String text(String url) throws IOException {
    HttpResponse<byte[]> response = get(url);
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered " + response.statusCode());
    }
    return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The status code, or -1 while nothing answers. */
  int status(String url) {
    try {
      return get(url).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }
}
