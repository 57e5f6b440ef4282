package dev.pressline.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pressline.support.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The shared Jetty server over real sockets: where it listens, whom it hangs up on, what it never says. */
class HttpServerBuilderTest {

  /** Answers "ok", or fails the way a buggy handler does on /boom. */
  private static final Handler OK = new Handler.Abstract() {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (Request.getPathInContext(request).equals("/boom")) {
        throw new IllegalStateException("secret internals at com.example.Thing");
      }
      response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  };

  @Test
  void listensOnTheConfiguredInterfaceOnly() throws Exception {
    Server server = new HttpServerBuilder(settings(Map.of("PRESSLINE_HTTP_BIND", "127.0.0.1")), 0).build(OK);
    server.start();
    try {
      InetSocketAddress bound = (InetSocketAddress)
          ((ServerSocketChannel) ((ServerConnector) server.getConnectors()[0]).getTransport()).getLocalAddress();
      assertThat(bound.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
      assertThat(bound.getPort()).isEqualTo(HttpServerBuilder.localPort(server));
    } finally {
      server.stop();
    }
  }

  @Test
  void listensOnAllInterfacesByDefault() throws Exception {
    Server server = new HttpServerBuilder(settings(Map.of()), 0).build(OK);
    server.start();
    try {
      InetSocketAddress bound = (InetSocketAddress)
          ((ServerSocketChannel) ((ServerConnector) server.getConnectors()[0]).getTransport()).getLocalAddress();
      assertThat(bound.getAddress().isAnyLocalAddress()).as("bound to %s", bound).isTrue();
    } finally {
      server.stop();
    }
  }

  @Test
  void neverNamesItselfOrItsExceptions() throws Exception {
    Server server = new HttpServerBuilder(settings(Map.of()), 0).build(OK);
    server.start();
    try {
      int port = HttpServerBuilder.localPort(server);
      String ok = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String boom = exchange(port, "GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String bad = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
      String garbage = exchange(port, "\u0001\u0002 nonsense\r\n\r\n");
      assertThat(ok).startsWith("HTTP/1.1 200");
      assertThat(boom).startsWith("HTTP/1.1 500").contains("500 Server Error");
      assertThat(bad).startsWith("HTTP/1.1 431");
      assertThat(garbage).startsWith("HTTP/1.1 400");
      for (String response : List.of(ok, boom, bad, garbage)) {
        assertThat(response.toLowerCase()).doesNotContain("\r\nserver:").doesNotContain("jetty")
            .doesNotContain("exception").doesNotContain("internals").doesNotContain("com.example");
      }
    } finally {
      server.stop();
    }
  }

  @Test
  void closesConnectionsBeyondTheClientsAllowanceAndServesOthers() throws Exception {
    Server server = new HttpServerBuilder(settings(Map.of("PRESSLINE_HTTP_MAX_CONNECTIONS_PER_CLIENT", "5")), 0)
        .build(OK);
    server.start();
    List<Socket> held = new ArrayList<>();
    try {
      int port = HttpServerBuilder.localPort(server);
      for (int i = 0; i < 8; i++) {
        held.add(connect("127.0.0.2", port));
      }
      // which 3 of the 8 are refused depends on the order Jetty takes them from the backlog
      await().atMost(Duration.ofSeconds(20)).until(() -> held.stream().filter(HttpServerBuilderTest::closed).count() == 3);
      List<Socket> open = held.stream().filter(s -> !closed(s)).toList();
      assertThat(open).hasSize(5);
      assertThat(exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
          .as("another client").startsWith("HTTP/1.1 200");
      // a closed connection gives its place back
      open.get(0).close();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        try (Socket again = connect("127.0.0.2", port)) {
          again.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          again.setSoTimeout(10_000);
          assertThat(new String(again.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }
      });
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
      server.stop();
    }
  }

  @Test
  void closesIdleConnections() throws Exception {
    Server server = new HttpServerBuilder(settings(Map.of("PRESSLINE_HTTP_IDLE_TIMEOUT", "1s")), 0).build(OK);
    server.start();
    try (Socket idle = connect("127.0.0.1", HttpServerBuilder.localPort(server))) {
      idle.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Half: ".getBytes(StandardCharsets.US_ASCII));
      await().atMost(Duration.ofSeconds(20)).until(() -> closed(idle));
    } finally {
      server.stop();
    }
  }

  private static HttpServerSettings settings(Map<String, String> values) {
    return HttpServerSettings.from(Settings.of(values));
  }

  private static Socket connect(String from, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    return socket;
  }

  private static String exchange(int port, String request) throws IOException {
    try (Socket socket = connect("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static boolean closed(Socket socket) {
    try {
      socket.setSoTimeout(20);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[1024];
      while (true) {
        if (in.read(buffer) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
