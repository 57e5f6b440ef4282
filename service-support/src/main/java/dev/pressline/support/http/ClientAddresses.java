package dev.pressline.support.http;

import dev.pressline.support.config.InvalidSettingException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Who a request comes from, for per-client limits. An IPv4 client is its address (/32: behind a NAT
 * a household shares one allowance, and nothing finer is knowable); an IPv6 client is its /64,
 * because one subscriber line is handed a whole /64 and could otherwise take a fresh address per
 * request. {@code X-Forwarded-For} is believed only when the connection comes from a configured
 * trusted proxy: anyone else could write any address into it.
 */
public final class ClientAddresses {

  /** A dotted quad; anything else without a colon would make InetAddress ask DNS. */
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final Set<InetAddress> trustedProxies;

  private ClientAddresses(Set<InetAddress> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  /** Trusts {@code X-Forwarded-For} from these proxy addresses (IP literals), named by {@code setting}. */
  public static ClientAddresses trusting(String setting, List<String> proxies) {
    return new ClientAddresses(proxies.stream().map(p -> {
      InetAddress address = literal(p);
      if (address == null) {
        throw new InvalidSettingException(setting, p, "IP addresses (no host names), comma-separated");
      }
      return address;
    }).collect(Collectors.toSet()));
  }

  /** Trusts no proxy: the connection's own address is the client. */
  public static ClientAddresses direct() {
    return new ClientAddresses(Set.of());
  }

  /** The client a request counts against: the connection's peer, or what a trusted proxy says it is. */
  public String clientOf(Request request) {
    InetAddress peer = addressOf(request.getConnectionMetaData().getRemoteSocketAddress());
    if (peer == null) {
      return "unknown";
    }
    if (trustedProxies.contains(peer)) {
      // the right-most address a trusted proxy did not add is the one that connected to our proxies
      List<String> forwarded = request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR);
      String[] hops = String.join(",", forwarded).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        InetAddress hop = literal(hops[i].strip());
        if (hop == null) {
          break;
        }
        if (!trustedProxies.contains(hop)) {
          return keyOf(hop);
        }
      }
    }
    return keyOf(peer);
  }

  /** Whether connections from this peer are a trusted proxy's, which carry many clients. */
  public boolean isTrustedProxy(SocketAddress peer) {
    InetAddress address = addressOf(peer);
    return address != null && trustedProxies.contains(address);
  }

  /** The key of a connection's peer (no forwarding headers at connection level). */
  public String keyOf(SocketAddress peer) {
    InetAddress address = addressOf(peer);
    return address == null ? "unknown" : keyOf(address);
  }

  static String keyOf(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      // an IPv4-mapped address (::ffff:a.b.c.d) is that IPv4 client
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= bytes[i] == 0;
      }
      if (mapped && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
        return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    }
    return address.getHostAddress();
  }

  @Override
  public String toString() {
    return "ClientAddresses[trustedProxies=" + trustedProxies + "]";
  }

  private static InetAddress addressOf(SocketAddress peer) {
    return peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /** An IP literal as an address, never a DNS lookup; null when {@code text} is not one. */
  static InetAddress literal(String text) {
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
      return null;
    }
    try {
      InetAddress address = InetAddress.getByName(bare);
      return address instanceof Inet4Address || address instanceof Inet6Address ? address : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
