package dev.pressline.publisher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The log events written while it is open, so a test can count what one bad request logs. */
final class LogLines extends AbstractAppender implements AutoCloseable {

  private final List<LogEvent> events = new CopyOnWriteArrayList<>();

  private LogLines() {
    super("test-capture", null, null, true, Property.EMPTY_ARRAY);
  }

  static LogLines capture() {
    LogLines lines = new LogLines();
    lines.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(lines, null, null);
    context.updateLoggers();
    return lines;
  }

  @Override
  public void append(LogEvent event) {
    events.add(event.toImmutable());
  }

  /** Events from loggers whose name starts with {@code prefix}. */
  List<LogEvent> from(String prefix) {
    return events.stream().filter(e -> e.getLoggerName().startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
