package dev.pressline.support.http;

import static java.util.Objects.requireNonNull;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most N open connections per client; a connection beyond that is closed as soon as it opens.
 * Without it a few hundred connections that trickle a request byte by byte fill the server and
 * nobody else (a health check, a subscriber) gets through. A trusted proxy's connections carry many
 * clients and are not counted.
 */
final class ClientConnectionLimit implements Connection.Listener {

  private static final Logger log = LoggerFactory.getLogger(ClientConnectionLimit.class);

  private final int perClient;
  private final ClientAddresses clients;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();
  /** The connections that were counted, so a refused one is not uncounted when it closes. */
  private final Map<Connection, String> counted = new ConcurrentHashMap<>();

  ClientConnectionLimit(int perClient, ClientAddresses clients) {
    this.perClient = perClient;
    this.clients = requireNonNull(clients, "clients");
  }

  @Override
  public void onOpened(Connection connection) {
    EndPoint endPoint = connection.getEndPoint();
    SocketAddress peer = endPoint.getRemoteSocketAddress();
    if (clients.isTrustedProxy(peer)) {
      return;
    }
    String client = clients.keyOf(peer);
    boolean[] admitted = {false};
    open.compute(client, (key, count) -> {
      int now = count == null ? 0 : count;
      if (now >= perClient) {
        return now;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (admitted[0]) {
      counted.put(connection, client);
    } else {
      // once per refused connection would let the attacker write our log: debug only
      log.debug("Closed a connection from {}: it already holds {} connections", client, perClient);
      endPoint.close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    String client = counted.remove(connection);
    if (client != null) {
      open.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }
  }
}
