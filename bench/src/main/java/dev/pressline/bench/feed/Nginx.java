package dev.pressline.bench.feed;

import dev.pressline.bench.run.ChildProcess;
import dev.pressline.bench.run.FreePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * nginx serving a folder of static files on loopback, tuned as one would tune it for a feed: no
 * access log, sendfile, ETags, pre-compressed {@code .gz} files, unlimited keep-alive requests.
 */
public final class Nginx implements AutoCloseable {

  private final ChildProcess process;
  private final int port;

  private Nginx(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Nginx start(Path prefix, Path root, int workers) throws IOException, InterruptedException {
    int port = FreePort.pick().port();
    Files.createDirectories(prefix.resolve("tmp"));
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String conf = user
        + "worker_processes " + workers + ";\n"
        + "daemon off;\n"
        + "pid " + prefix.resolve("nginx.pid") + ";\n"
        + "error_log " + prefix.resolve("error.log") + " warn;\n"
        + "events { worker_connections 4096; }\n"
        + "http {\n"
        + "  access_log off;\n"
        + "  sendfile on;\n"
        + "  tcp_nopush on;\n"
        + "  keepalive_requests 100000000;\n"
        + "  keepalive_timeout 120s;\n"
        + "  etag on;\n"
        + "  gzip_static on;\n"
        + "  types { application/rss+xml xml; text/html html; }\n"
        + "  default_type application/octet-stream;\n"
        + "  client_body_temp_path " + prefix.resolve("tmp") + ";\n"
        + "  proxy_temp_path " + prefix.resolve("tmp") + ";\n"
        + "  fastcgi_temp_path " + prefix.resolve("tmp") + ";\n"
        + "  uwsgi_temp_path " + prefix.resolve("tmp") + ";\n"
        + "  scgi_temp_path " + prefix.resolve("tmp") + ";\n"
        + "  server {\n"
        + "    listen 127.0.0.1:" + port + ";\n"
        + "    root " + root + ";\n"
        + "    add_header Cache-Control \"max-age=60\";\n"
        + "  }\n"
        + "}\n";
    Path confFile = prefix.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    ChildProcess process = ChildProcess.start("nginx", List.of("nginx", "-p", prefix.toString(), "-c",
        confFile.toString()), Map.of(), prefix.resolve("nginx.out"));
    Nginx nginx = new Nginx(process, port);
    nginx.awaitListening();
    return nginx;
  }

  private void awaitListening() throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("nginx did not start: " + process.output());
        }
        Thread.sleep(10);
      }
    }
    throw new IllegalStateException("nginx is not listening on " + port);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
