package dev.pressline.feed.site;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A representation rendered when first asked for and kept from then on. Older feed and archive
 * pages and post pages are rarely fetched; building them only on demand keeps a rebuild of a large
 * catalogue to the first pages, and each is still rendered at most once per change.
 */
final class Rendered {

  private final Supplier<Representation> render;
  private volatile Representation value;

  Rendered(Supplier<Representation> render) {
    this.render = requireNonNull(render, "render");
  }

  static Rendered now(Representation value) {
    Rendered rendered = new Rendered(() -> value);
    rendered.value = value;
    return rendered;
  }

  Representation get() {
    Representation result = value;
    if (result == null) {
      synchronized (this) {
        result = value;
        if (result == null) {
          result = render.get();
          value = result;
        }
      }
    }
    return result;
  }
}
