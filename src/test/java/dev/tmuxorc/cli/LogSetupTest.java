package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The logging set-up, applied to a fresh logger context with given properties, environment and class path. */
class LogSetupTest {

  @TempDir
  Path dir;

  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter()); // as slf4j gives logback's own
  }
  private final Map<String, String> properties = new HashMap<>(Map.of("user.home", "/home/u"));
  private final Map<String, String> environment = new HashMap<>();

  @AfterEach
  void stop() {
    context.stop(); // closes the appenders' files
  }

  private ExecutionStatus configure(String... onClassPath) {
    Predicate<String> resources = Set.of(onClassPath)::contains;
    return new LogSetup().configure(context, properties::get, environment::get, resources);
  }

  private Logger logger(String name) {
    return context.getLogger(name);
  }

  private static String pattern(Appender<ILoggingEvent> appender) {
    return ((PatternLayoutEncoder) ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder()).getPattern();
  }

  @Test
  void aCommandLogsToStderrAtTheLevelOfTheEnvironment() {
    environment.put("TMUX_ORC_LOG_LEVEL", "debug");
    assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure());
    Logger root = logger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.DEBUG, root.getLevel());
    ConsoleAppender<ILoggingEvent> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
    assertEquals("System.err", stderr.getTarget());
    assertEquals("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n", pattern(stderr));
    assertTrue(stderr.isStarted());
    assertEquals(Level.WARN, logger("org.apache.pekko").getLevel());
    assertNull(logger("tmux-orc.performance").getLevel(), "the cycle reports come with the rest");
    assertTrue(logger("tmux-orc.performance").isAdditive());
  }

  @Test
  void theLevelIsInfoByDefaultOrWhenTheValueIsNoLevel() {
    configure();
    assertEquals(Level.INFO, logger(Logger.ROOT_LOGGER_NAME).getLevel());

    LoggerContext other = new LoggerContext();
    environment.put("TMUX_ORC_LOG_LEVEL", "loud");
    new LogSetup().configure(other, properties::get, environment::get, name -> false);
    assertEquals(Level.INFO, other.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
  }

  @Test
  void theDaemonLogsToRollingFilesInItsLogsDirectory() throws Exception {
    properties.putAll(Map.of("tmuxorc.daemon", "true", "tmuxorc.logs", dir.toString()));
    environment.put("TMUX_ORC_LOG_LEVEL", "WARN");
    // the tests' logback-test.xml does not replace the daemon's files
    assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure("logback-test.xml"));

    Logger root = logger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.WARN, root.getLevel());
    assertRolling(root.getAppender("MONITOR"), dir.resolve("monitor"),
        "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    Logger performance = logger("tmux-orc.performance");
    assertEquals(Level.INFO, performance.getLevel());
    assertFalse(performance.isAdditive(), "the cycle reports are not in monitor.log");
    assertRolling(performance.getAppender("PERFORMANCE"), dir.resolve("performance"),
        "%d{yyyy-MM-dd HH:mm:ss.SSS} %msg%n");
    assertEquals(Level.WARN, logger("org.apache.pekko").getLevel());

    root.warn("a warning");
    performance.info("a cycle report");
    String time = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";
    String monitorLog = Files.readString(dir.resolve("monitor.log"));
    assertTrue(monitorLog.matches(time + "WARN  ROOT - a warning\n"), monitorLog);
    String performanceLog = Files.readString(dir.resolve("performance.log"));
    assertTrue(performanceLog.matches(time + "a cycle report\n"), performanceLog);
  }

  private static void assertRolling(Appender<ILoggingEvent> appender, Path base, String pattern) {
    RollingFileAppender<ILoggingEvent> file = assertInstanceOf(RollingFileAppender.class, appender);
    assertTrue(file.isStarted(), file.getName());
    assertEquals(base + ".log", file.getFile());
    assertEquals(pattern, pattern(file));
    FixedWindowRollingPolicy window = assertInstanceOf(FixedWindowRollingPolicy.class, file.getRollingPolicy());
    assertEquals(List.of(base + ".%i.log", 1, 5),
        List.of(window.getFileNamePattern(), window.getMinIndex(), window.getMaxIndex()));
    SizeBasedTriggeringPolicy<?> size = assertInstanceOf(SizeBasedTriggeringPolicy.class, file.getTriggeringPolicy());
    assertEquals(FileSize.valueOf("10MB").getSize(), size.getMaxFileSize().getSize());
  }

  @Test
  void withoutItsLogsDirectoryTheDaemonLogsUnderTheHomeDirectory() {
    properties.put("tmuxorc.daemon", "true");
    properties.put("user.home", dir.toString());
    configure();
    RollingFileAppender<?> monitor = (RollingFileAppender<?>) logger(Logger.ROOT_LOGGER_NAME).getAppender("MONITOR");
    assertEquals(dir + "/.tmux-orchestrator/logs/monitor.log", monitor.getFile());
  }

  @Test
  void aLogbackFileOfTheUsersIsLeftToLogback() throws Exception {
    properties.put("logback.configurationFile", Files.writeString(dir.resolve("mine.xml"), "<configuration/>")
        .toString());
    assertEquals(ExecutionStatus.NEUTRAL, configure());
    properties.put("tmuxorc.daemon", "true");
    assertEquals(ExecutionStatus.NEUTRAL, configure(), "also in a daemon started by hand with one");
    properties.put("logback.configurationFile", "file:/etc/tmux-orc/logback.xml");
    assertEquals(ExecutionStatus.NEUTRAL, configure(), "a URL, as logback takes it");
    properties.put("logback.configurationFile", "mine.xml");
    assertEquals(ExecutionStatus.NEUTRAL, configure("mine.xml"), "a resource on the class path");
    assertNull(logger(Logger.ROOT_LOGGER_NAME).getAppender("MONITOR"), "nothing set up");

    properties.remove("tmuxorc.daemon");
    properties.remove("logback.configurationFile");
    assertEquals(ExecutionStatus.NEUTRAL, configure("logback-test.xml"), "the tests' file");
    assertNull(logger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
  }

  @Test
  void aLogbackXmlLeftInAnOldBuildsClassesIsNotRead() {
    // Maven does not delete a resource removed from src/: a jar built without `clean` still held logback.xml,
    // and reading it would have brought back the slow start-up this class exists to avoid
    assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure("logback.xml"));
    assertInstanceOf(ConsoleAppender.class, logger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
  }

  @Test
  void aLogbackFileLogbackWouldNotFindGetsTmuxOrcsSetUpNotLogbacksFallbackOnStdout() {
    properties.put("logback.configurationFile", dir.resolve("no-such.xml").toString());
    assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure());
    assertInstanceOf(ConsoleAppender.class, logger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
  }

  @Test
  void theTestsLogWithTheirOwnFile() {
    // this JVM's logback ran LogSetup first (META-INF/services), which left it to logback-test.xml
    LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = global.getLogger(Logger.ROOT_LOGGER_NAME);
    assertNull(root.getAppender("STDERR"));
    assertNotNull(root.getAppender("CapturingAppender"));
  }
}
