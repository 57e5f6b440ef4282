package dev.pressline.console.web;

import dev.pressline.console.time.ReadableTime;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The templates' {@code time} filter: {@code {{ o.at | time }}} writes
 * {@code <time datetime="2026-12-05T04:48:13.357865752Z">5 Dec 2026 04:48:13 UTC</time>}, the
 * readable form for people and the exact one for machines. It takes an {@link Instant} or a
 * {@link LocalDate}; the markup is marked safe because both parts are made here from the value's own
 * digits, never from text someone typed.
 */
final class TimeFilter extends AbstractExtension implements Filter {

  @Override
  public Map<String, Filter> getFilters() {
    return Map.of("time", this);
  }

  @Override
  public List<String> getArgumentNames() {
    return List.of();
  }

  @Override
  public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
      int lineNumber) {
    if (input instanceof Instant at) {
      return tag(ReadableTime.machine(at), ReadableTime.of(at));
    }
    if (input instanceof LocalDate day) {
      return tag(ReadableTime.machine(day), ReadableTime.of(day));
    }
    throw new PebbleException(null, "the time filter takes an Instant or a LocalDate, not "
        + (input == null ? "null" : input.getClass().getSimpleName()), lineNumber, self.getName());
  }

  private static SafeString tag(String machine, String readable) {
    return new SafeString("<time datetime=\"" + machine + "\">" + readable + "</time>");
  }
}
