package dev.pressline.console;

import dev.pressline.support.config.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator console on its own: settings from the environment, stopped by Ctrl-C or SIGTERM. */
public final class ConsoleMain {

  private static final Logger log = LoggerFactory.getLogger(ConsoleMain.class);

  private ConsoleMain() {}

  public static void main(String[] args) throws InterruptedException {
    ConsoleConfig config;
    ConsoleService service;
    try {
      config = ConsoleConfig.from(Settings.fromEnvironment());
      service = ConsoleService.start(config);
    } catch (RuntimeException e) {
      // one line an operator can act on before the stack trace
      log.error("console-service could not start: {}", e.getMessage());
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "console-shutdown"));
    log.info("console-service listening on {} (bound to {}); sign in with PRESSLINE_ADMIN_TOKEN{}",
        service.localUrl(), config.http().bindHost() == null ? "all interfaces" : config.http().bindHost(),
        config.adminToken() == null ? " (not set: nobody can sign in)" : "");
    stopped.await();
  }
}
