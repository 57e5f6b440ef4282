package dev.pressline.console.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** Renders the console's pages with Pebble; every value is escaped for HTML unless a template says otherwise. */
final class Pages {

  private final PebbleEngine engine;

  Pages() {
    ClasspathLoader loader = new ClasspathLoader(Pages.class.getClassLoader());
    loader.setPrefix("templates/console");
    loader.setSuffix(".peb");
    this.engine = new PebbleEngine.Builder()
        .loader(loader)
        // a misspelt variable is a bug to find in tests, not an empty spot on a page
        .strictVariables(true)
        .autoEscaping(true)
        .extension(new TimeFilter())
        .build();
  }

  String render(String name, Map<String, Object> model) {
    PebbleTemplate template = engine.getTemplate(name);
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render " + name, e);
    }
    return out.toString();
  }
}
