package dev.pressline.launcher.mailcatcher;

import dev.pressline.support.http.HttpServerBuilder;
import dev.pressline.support.http.HttpServerSettings;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Web pages where the captured emails can be read as a subscriber would see them: a list, each
 * message's HTML rendered in a sandboxed frame (no scripts, no same-origin access), its plain-text
 * part and its raw source.
 */
public final class MailCatcherWeb implements AutoCloseable {

  private static final Pattern MESSAGE = Pattern.compile("^/messages/(\\d+)(/text|/raw)?$");

  private final MailCatcher catcher;
  private final Server server;
  private final PebbleTemplate listPage;
  private final PebbleTemplate messagePage;

  private MailCatcherWeb(MailCatcher catcher, HttpServerSettings http, int port) {
    this.catcher = catcher;
    PebbleEngine engine = new PebbleEngine.Builder().build();
    this.listPage = engine.getTemplate("mailcatcher/list.peb");
    this.messagePage = engine.getTemplate("mailcatcher/message.peb");
    this.server = new HttpServerBuilder(http, port).build(new Pages());
  }

  /** @param http where to listen (the launcher's default is loopback) and the limits on clients */
  public static MailCatcherWeb start(MailCatcher catcher, HttpServerSettings http, int port) {
    MailCatcherWeb web = new MailCatcherWeb(catcher, http, port);
    try {
      web.server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the mail catcher's web page on port " + port + ": " + e.getMessage(), e);
    }
    return web;
  }

  public int port() {
    return HttpServerBuilder.localPort(server);
  }

  private List<CapturedMail> newestFirst() {
    List<CapturedMail> mails = new ArrayList<>();
    var messages = catcher.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      mails.add(CapturedMail.of(i + 1, messages.get(i)));
    }
    return mails;
  }

  private String render(PebbleTemplate template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private final class Pages extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      if (path.equals("/")) {
        List<CapturedMail> mails = newestFirst();
        return send(response, callback, "text/html; charset=utf-8", render(listPage, Map.of("mails", mails)));
      }
      Matcher m = MESSAGE.matcher(path);
      if (!m.matches()) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
      }
      int number = Integer.parseInt(m.group(1));
      var messages = catcher.messages();
      if (number < 1 || number > messages.size()) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
      }
      CapturedMail mail = CapturedMail.of(number, messages.get(number - 1));
      if ("/text".equals(m.group(2))) {
        return send(response, callback, "text/plain; charset=utf-8", mail.text());
      }
      if ("/raw".equals(m.group(2))) {
        return send(response, callback, "text/plain; charset=utf-8", mail.raw());
      }
      return send(response, callback, "text/html; charset=utf-8", render(messagePage, Map.of("mail", mail)));
    }

    private boolean send(Response response, Callback callback, String type, String body) {
      response.setStatus(HttpStatus.OK_200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
      // the captured HTML is shown in a sandboxed frame; nothing on these pages may run scripts
      response.getHeaders().put("Content-Security-Policy", "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      Content.Sink.write(response, true, body, callback);
      return true;
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the mail catcher's web page", e);
    }
  }
}
