package dev.tmuxorc.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonCommandLine;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * tmux-orc's logging, set up in code: logback reading an XML file (Joran and the XML parser, ~580 classes) took
 * twice as long at every JVM start, i.e. every command: ~240 ms instead of ~120 ms (docs/benchmarks.md, Run 7).
 * Logback finds this class through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator} and runs it
 * before its own search for a file.
 *
 * <p>A logback file of the user's still wins, read by logback as before: {@code -Dlogback.configurationFile}
 * naming one that exists, else (not for the daemon) a {@code logback-test.xml} on the class path: the tests'.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  private static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
  private static final String MONITOR_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
  private static final String PERFORMANCE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %msg%n";
  private static final String PERFORMANCE_LOGGER = "tmux-orc.performance";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = LogSetup.class.getClassLoader();
    return configure(context, System::getProperty, System::getenv, name -> loader.getResource(name) != null);
  }

  /** {@link #configure(LoggerContext)} with this JVM's system properties, environment and class path given. */
  ExecutionStatus configure(LoggerContext context, UnaryOperator<String> properties,
      UnaryOperator<String> environment, Predicate<String> onClassPath) {
    String file = properties.apply("logback.configurationFile");
    boolean daemon = Boolean.parseBoolean(properties.apply(DaemonCommandLine.DAEMON_PROPERTY));
    boolean named = file != null && exists(file, onClassPath);
    // `monitor start` passes no logback file on: the daemon logs to its files whatever the class path holds. A
    // logback.xml on the class path is not looked for: tmux-orc ships none, but a jar built without `clean`
    // still held the old one (Maven leaves a removed resource in target/classes).
    boolean found = !daemon && onClassPath.test("logback-test.xml");
    if (named || found) {
      return ExecutionStatus.NEUTRAL; // logback's own configurator reads the user's file next
    }
    // as logback's ${NAME:-default} would: a system property, else an environment variable
    UnaryOperator<String> variables = name -> {
      String property = properties.apply(name);
      return property != null ? property : environment.apply(name);
    };
    Level root = Level.toLevel(variables.apply("TMUX_ORC_LOG_LEVEL"), Level.INFO);
    if (daemon) {
      String logs = variables.apply(DaemonCommandLine.LOGS_PROPERTY);
      // without the parent's resolved directory: the default base directory's, as the XML file had it
      daemon(context, logs != null ? logs
          : BaseDir.of(Map.of(), Path.of(properties.apply("user.home"))).logs().toString(), root);
    } else {
      console(context, root);
    }
    context.getLogger("org.apache.pekko").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Whether logback would find this configuration file: a URL, a class path resource or a file. A name it would
   * not find gets tmux-orc's set-up, as it did when tmux-orc shipped a logback.xml (not logback's fallback, which
   * logs everything to stdout, where tables and JSON go).
   */
  private static boolean exists(String file, Predicate<String> onClassPath) {
    try {
      new URL(file);
      return true;
    } catch (MalformedURLException notAUrl) {
      return onClassPath.test(file) || new File(file).isFile();
    }
  }

  /** Logs go to stderr so that stdout stays clean for tables and JSON; the cycle reports come with the rest. */
  private static void console(LoggerContext context, Level level) {
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setTarget("System.err");
    start(context, stderr, "STDERR", CONSOLE_PATTERN);
    root(context, level).addAppender(stderr);
  }

  /**
   * The daemon started by {@code monitor start} runs detached, so it logs to files in {@code logs}, which the
   * parent resolves from the base directory and passes as {@code -Dtmuxorc.logs}. Each file rolls at 10 MB and
   * keeps 5 old ones (monitor.1.log ... monitor.5.log). The cycle reports (percentiles, capture counts every
   * report-interval) get a file of their own, so that the monitor log stays readable and the numbers can be
   * graphed.
   */
  private static void daemon(LoggerContext context, String logs, Level level) {
    Logger performance = context.getLogger(PERFORMANCE_LOGGER);
    performance.setLevel(Level.INFO);
    performance.setAdditive(false);
    performance.addAppender(rolling(context, "PERFORMANCE", logs + "/performance", PERFORMANCE_PATTERN));
    root(context, level).addAppender(rolling(context, "MONITOR", logs + "/monitor", MONITOR_PATTERN));
  }

  private static Logger root(LoggerContext context, Level level) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    return root;
  }

  private static RollingFileAppender<ILoggingEvent> rolling(LoggerContext context, String name, String path,
      String pattern) {
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setFile(path + ".log");
    FixedWindowRollingPolicy window = new FixedWindowRollingPolicy();
    window.setContext(context);
    window.setFileNamePattern(path + ".%i.log");
    window.setMinIndex(1);
    window.setMaxIndex(5);
    window.setParent(appender);
    window.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
    size.setContext(context);
    size.setMaxFileSize(FileSize.valueOf("10MB"));
    size.start();
    appender.setRollingPolicy(window);
    appender.setTriggeringPolicy(size);
    start(context, appender, name, pattern);
    return appender;
  }

  private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String name,
      String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.setParent(appender);
    encoder.start();
    appender.setContext(context);
    appender.setName(name);
    appender.setEncoder(encoder);
    appender.start();
  }
}
