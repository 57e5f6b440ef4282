package dev.pressline.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

  /** One client, so its kept-alive connections are reused rather than piling up against the per-client limit. */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void servesCountersOfThisServiceInPrometheusFormatOverHttp() throws Exception {
    try (ServiceMetrics metrics = new ServiceMetrics("feed")) {
      metrics.registry().counter("pressline.posts.received").increment(3);
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setPort(0);
      server.addConnector(connector);
      server.setHandler(metrics.handler());
      server.start();
      try {
        HttpResponse<String> response = HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + connector.getLocalPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body())
            .contains("pressline_posts_received_total{service=\"feed\"} 3.0")
            .contains("jvm_memory_used_bytes");
      } finally {
        server.stop();
      }
    }
  }
}
