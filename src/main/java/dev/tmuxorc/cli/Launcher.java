package dev.tmuxorc.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.typesafe.config.Config;
import dev.tmuxorc.journal.EventLog;
import dev.tmuxorc.http.HttpServer;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.ConfigFiles;
import dev.tmuxorc.config.EnvOverrides;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.tmux.TmuxPool;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.slf4j.LoggerFactory;

/** Turns global options into settings and starts the actor system the commands run on. */
final class Launcher {

  private Launcher() {
  }

  /** Set by bin/tmux-orc to the path it was run as. */
  static final String LAUNCHER_PROPERTY = "tmuxorc.launcher";

  /**
   * How the user runs this tmux-orc, for commands printed as advice: the launcher's path when it started us,
   * else {@code java -jar} with this jar.
   */
  static String selfCommand() {
    String launcher = System.getProperty(LAUNCHER_PROPERTY);
    if (launcher != null && !launcher.isBlank()) {
      return launcher;
    }
    try {
      Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (jar.toString().endsWith(".jar")) {
        Path cwd = Path.of("").toAbsolutePath();
        return "java -jar " + (jar.startsWith(cwd) ? cwd.relativize(jar) : jar);
      }
    } catch (Exception e) {
      // not from a jar (tests, an IDE): fall through
    }
    return "java -jar target/tmux-orc.jar";
  }

  /** Loads the configuration with the command-line overrides on top. */
  static Config config(GlobalOptions global, Map<String, Object> overrides) {
    var file = ConfigFiles.locate(global.configFile(), System.getenv(), BaseDir.current());
    return ConfigFiles.load(file, flags(global, overrides));
  }

  /** The configuration the command line sets: {@code overrides} and the global -L/-S options. */
  static Map<String, Object> flags(GlobalOptions global, Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>(overrides);
    if (global.socketName != null && global.socketPath != null) {
      throw new SettingsException("give either --socket (-L) or --socket-path (-S), not both");
    }
    if (global.socketName != null) {
      all.put("tmux-orc.tmux.socket-name", global.socketName);
      all.put("tmux-orc.tmux.socket-path", "");
    }
    if (global.socketPath != null) {
      all.put("tmux-orc.tmux.socket-path", global.socketPath);
      all.put("tmux-orc.tmux.socket-name", "");
    }
    return all;
  }

  /** Sets the log level: {@code quiet} commands log warnings only unless -v is given. */
  static void logLevel(GlobalOptions global, boolean quiet) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    int verbosity = global.verbose.length;
    if (verbosity >= 2) {
      root.setLevel(Level.DEBUG);
    } else if (verbosity == 1) {
      root.setLevel(Level.INFO);
    } else if (quiet) {
      root.setLevel(Level.WARN);
      // A one-shot command reports an unreachable server itself; the pool's retry warnings are noise there.
      ((Logger) LoggerFactory.getLogger("dev.tmuxorc.tmux.TmuxPool")).setLevel(Level.ERROR);
    }
    EnvOverrides.loggerLevels(System.getenv()).forEach((name, level) ->
        ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.toLevel(level)));
  }

  /** When {@code file} is given, every agent event is appended to it as a JSON line. */
  static void logEvents(ActorSystem<?> system, Path file) {
    if (file != null) {
      system.systemActorOf(EventLog.create(file), "event-log", Props.empty());
    }
  }

  /** Starts the whole supervisor, wired by its guardian, as a new actor system. */
  static ActorSystem<Guardian.Command> start(Config config, Settings settings, Guardian.Wiring wiring) {
    if (wiring.surfaces().http().isPresent()) {
      HttpServer.warmUp();
    }
    return withShutdownHook(ActorSystem.create(Guardian.create(settings, wiring), "tmux-orc", config));
  }

  /** An actor system whose guardian is a tmux pool and nothing else, for one-shot commands. */
  static ActorSystem<TmuxPool.Command> startPool(Config config, Settings settings) {
    return withShutdownHook(ActorSystem.create(TmuxPool.create(settings.tmux(), settings.monitoring().pool(), TmuxPool.factoryFor(settings.tmux())),
        "tmux-orc", config));
  }

  private static <T> ActorSystem<T> withShutdownHook(ActorSystem<T> system) {
    // The extension installs the JVM shutdown hook that stops the actors on SIGINT/SIGTERM, but only once
    // something loads it: without this line Ctrl-C left every actor running until the JVM was killed.
    CoordinatedShutdown.get(system);
    return system;
  }
}
