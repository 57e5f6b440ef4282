package dev.pressline.bench.mail;

import dev.pressline.bench.run.ChildProcess;
import dev.pressline.bench.run.FreePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Postfix's {@code smtp-sink} on loopback: a fast SMTP server that accepts every message and throws
 * it away, so a benchmark measures the sender and not a mail store.
 */
public final class SmtpSink implements AutoCloseable {

  private final ChildProcess process;
  private final int port;

  private SmtpSink(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static SmtpSink start(Path logFile) throws InterruptedException {
    int port = FreePort.pick().port();
    List<String> command = new ArrayList<>(List.of("smtp-sink"));
    if ("root".equals(System.getProperty("user.name"))) {
      // smtp-sink refuses to keep super-user rights after opening its socket
      command.addAll(List.of("-u", "nobody"));
    }
    // up to 1024 sessions at once and a listen backlog of 1024: never the limit here
    command.addAll(List.of("-m", "1024", "127.0.0.1:" + port, "1024"));
    SmtpSink sink = new SmtpSink(ChildProcess.start("smtp-sink", command, Map.of(), logFile), port);
    sink.awaitListening();
    return sink;
  }

  private void awaitListening() throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("smtp-sink did not start: " + process.output());
        }
        Thread.sleep(10);
      }
    }
    throw new IllegalStateException("smtp-sink is not listening on " + port);
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
