package org.mirage4j.drivers.git;

import java.lang.System.Logger.Level;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * JGit logs through SLF4J; this provider (found by SLF4J's service loader) hands each of its
 * records to {@link System.Logger}, so that they reach the program's one log reporter with its
 * levels and per-source thresholds ({@code -l warning,org.eclipse.jgit:debug}) like every
 * driver's, instead of SLF4J's "no providers" warning and silence.
 */
public final class SystemLoggerProvider implements SLF4JServiceProvider {

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private final ILoggerFactory loggers = Adapter::new;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** One SLF4J logger over the {@link System.Logger} of the same name. */
  private static final class Adapter extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient System.Logger logger;

    Adapter(String name) {
      this.name = name;
      this.logger = System.getLogger(name);
    }

    private static Level level(org.slf4j.event.Level level) {
      return switch (level) {
        case ERROR -> Level.ERROR;
        case WARN -> Level.WARNING;
        case INFO -> Level.INFO;
        case DEBUG -> Level.DEBUG;
        case TRACE -> Level.TRACE;
      };
    }

    @Override
    public boolean isTraceEnabled() {
      return logger.isLoggable(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return logger.isLoggable(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return logger.isLoggable(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return logger.isLoggable(Level.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
      return logger.isLoggable(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        org.slf4j.event.Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      if (throwable == null) {
        logger.log(level(level), message);
      } else {
        logger.log(level(level), message, throwable);
      }
    }
  }
}
