package dev.pressline.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pressline.support.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

  @Test
  void anIpv4ClientIsItsAddressAndAnIpv6ClientItsSlash64() throws Exception {
    assertThat(ClientAddresses.keyOf(InetAddress.getByName("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(ClientAddresses.keyOf(InetAddress.getByName("2001:db8:1:2:aaaa::1")))
        .isEqualTo(ClientAddresses.keyOf(InetAddress.getByName("2001:db8:1:2:bbbb:cccc:dddd:eeee")))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddresses.keyOf(InetAddress.getByName("2001:db8:1:3::1"))).isEqualTo("2001:db8:1:3::/64");
  }

  @Test
  void trustedProxiesMustBeIpLiteralsNeverNamesToLookUp() {
    assertThat(ClientAddresses.literal("10.0.0.1")).isNotNull();
    assertThat(ClientAddresses.literal("[2001:db8::1]")).isNotNull();
    assertThat(ClientAddresses.literal("proxy.internal")).isNull();
    assertThat(ClientAddresses.literal("cafe")).isNull();
    assertThatThrownBy(() -> ClientAddresses.trusting("PRESSLINE_HTTP_TRUSTED_PROXIES", List.of("lb.example.org")))
        .isInstanceOf(InvalidSettingException.class);
    ClientAddresses trusting = ClientAddresses.trusting("X", List.of("10.0.0.1", "2001:db8::1"));
    assertThat(trusting.isTrustedProxy(new InetSocketAddress("10.0.0.1", 1))).isTrue();
    assertThat(trusting.isTrustedProxy(new InetSocketAddress("10.0.0.2", 1))).isFalse();
  }
}
