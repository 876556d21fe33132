package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.daemon.DaemonCommandLine;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.DaemonStarter;
import dev.tmuxorc.daemon.LogTail;
import dev.tmuxorc.monitor.Readiness;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code monitor start} as the launcher (bin/tmux-orc) runs it: in a JVM that the launcher started already detached
 * (a session of its own, stdout and stderr appended to BASE/logs/monitor.out, logging to files), which checks what
 * the command checks, then becomes the monitor itself instead of launching a second JVM for it. What the command
 * prints and its exit status go to the launcher as a {@link StartReport} once the monitor is ready, or has failed;
 * the launcher prints them and exits, and this process goes on as the monitor. A start is then one cold JVM instead
 * of two in a row: on 2 cores the first one took 0.6-0.8 s before it launched the second (docs/benchmarks.md,
 * Run 11).
 *
 * <p>Arguments this command cannot parse go to the whole command line ({@link Main}), reporting the same way: it
 * reports the mistake as {@code tmux-orc} does.
 */
@Command(name = "tmux-orc monitor start")
public final class StartInPlace implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(StartInPlace.class);

  @Mixin
  GlobalOptions global;

  @Mixin
  MonitorOptions options;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class)
  Duration timeout;

  private final StartReport report;
  private final Instant began;

  private StartInPlace(StartReport report, Instant began) {
    this.report = report;
    this.began = began;
  }

  public static void main(String[] args) {
    String dir = System.getProperty(DaemonCommandLine.START_REPORT_PROPERTY);
    if (dir == null || dir.isBlank()) {
      System.err.println("tmux-orc: " + StartInPlace.class.getName() + " is run by the launcher, with -D"
          + DaemonCommandLine.START_REPORT_PROPERTY + "=DIR");
      System.exit(2);
    }
    StartReport report = new StartReport(Path.of(dir));
    Main.startUp();
    int status = run(report, launcherStart().orElse(Instant.now()), args);
    try {
      report.send(status); // when no outcome was sent yet: a mistake in the arguments, say
    } catch (IOException e) {
      System.err.println("tmux-orc: cannot report to the launcher: " + e.getMessage());
    }
    System.exit(status);
  }

  private static Optional<Instant> launcherStart() {
    try {
      String millis = System.getProperty(DaemonCommandLine.STARTED_AT_PROPERTY, "");
      return Optional.of(Instant.ofEpochMilli(Long.parseLong(millis)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // a date(1) without %N
    }
  }

  /**
   * Runs {@code tmux-orc ARGS} (a {@code monitor start}) in place, reporting to {@code report}; returns the exit
   * status when the command ends, which for a started monitor is once it has stopped.
   */
  static int run(StartReport report, Instant began, String... args) {
    List<String> options = optionsOfMonitorStart(List.of(args));
    if (options == null) {
      report.err().println("tmux-orc: the launcher starts `monitor start` in place, without --foreground; not: "
          + String.join(" ", args));
      return 2;
    }
    String[] given = options.toArray(String[]::new);
    CommandLine commandLine = Main.withErrorStatuses(new CommandLine(new StartInPlace(report, began)))
        .setOut(report.out()).setErr(report.err());
    try {
      commandLine.parseArgs(given);
    } catch (CommandLine.ParameterException notOurs) {
      return whole(report, args);
    }
    return commandLine.execute(given);
  }

  private static int whole(StartReport report, String... args) {
    return Main.commandLine().setOut(report.out()).setErr(report.err()).execute(args);
  }

  /**
   * The options of {@code args} without the words {@code monitor start}; null when they are not there, or when
   * {@code --foreground} asks for the other command.
   */
  static List<String> optionsOfMonitorStart(List<String> args) {
    int at = -1;
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals("monitor") && args.get(i + 1).equals("start")) {
        at = i;
        break;
      }
    }
    if (at < 0 || args.contains("--foreground")) {
      return null;
    }
    List<String> options = new ArrayList<>(args.subList(0, at));
    options.addAll(args.subList(at + 2, args.size()));
    return options;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Launcher.logLevel(global, false);
    Config config = Launcher.config(global, options.overrides());
    Settings settings = Settings.from(config);
    if (!MonitorStartCommand.servesHttp(config, report.err())) {
      return 2;
    }
    BaseDir base = BaseDir.current();
    boolean token = MonitorCommand.token(config).isPresent();
    DaemonStarter.Claimed claimed = DaemonStarter.claim(base);
    if (claimed instanceof DaemonStarter.Refused refused) {
      return MonitorStartCommand.report(refused.outcome(), base, token, report.out(), report.err());
    }
    List<String> args = MonitorStartCommand.daemonArgs(options, global);
    System.out.println("--- " + Instant.now() + " monitor start, in the launcher's process: tmux-orc "
        + String.join(" ", args));
    System.out.flush();
    Start start = new Start((DaemonStarter.Claim) claimed, base, token,
        LogTail.end(base.monitorOut()), LogTail.end(base.monitorLog()));
    Thread watch = start.watchDeadline();
    int status;
    try {
      status = ForegroundMonitor.run(config, settings, options.events.file, report.err(), args, start::ready);
    } catch (RuntimeException e) {
      // as a launched monitor exiting during start-up is reported: status 1, with its output and log
      log.error("the monitor could not start", e);
      start.fail("the monitor could not start: " + (e instanceof SettingsException ? e.getMessage() : e));
      return 1;
    } finally {
      start.release();
    }
    if (start.late) {
      watch.join(); // it stopped the monitor, reports that, and exits
    }
    if (status != 0) {
      return status; // one runs already (its run lock is held): said so
    }
    return start.fail("the monitor stopped during start-up") || start.givenUp ? 1 : 0;
  }

  /** This start, from the claim to the report. */
  private final class Start {
    private final DaemonStarter.Claim claim;
    private final BaseDir base;
    private final boolean token;
    private final long outFrom;
    private final long logFrom;
    /** The recorded monitor, and its readiness once known. */
    private volatile ActorSystem<Guardian.Command> system;
    private volatile Readiness readiness;
    /** Past the deadline: the watch stops the monitor and reports it. */
    private volatile boolean late;
    /** The report could not be delivered: the monitor was stopped. */
    private volatile boolean givenUp;

    Start(DaemonStarter.Claim claim, BaseDir base, boolean token, long outFrom, long logFrom) {
      this.claim = claim;
      this.base = base;
      this.token = token;
      this.outFrom = outFrom;
      this.logFrom = logFrom;
    }

    /**
     * Waits until the recorded monitor is ready (what its {@code /health/ready} answers), then reports it started.
     * The deadline is {@link #watchDeadline}'s. With nobody to report to (the launcher ended, and its directory
     * with it), it stops the monitor: the start was given up.
     */
    void ready(ActorSystem<Guardian.Command> recorded, DaemonRecord record) {
      system = recorded;
      try {
        while (readiness == null && !recorded.whenTerminated().isCompleted() && !late) {
          try {
            readiness = AskPattern.<Guardian.Command, Guardian.Parts>ask(recorded, Guardian.GetParts::new,
                PARTS_TIMEOUT, recorded.scheduler()).toCompletableFuture().get().readiness();
          } catch (ExecutionException timedOut) {
            // asked again, until the deadline
          }
        }
        while (readiness != null && !readiness.ready()) {
          if (recorded.whenTerminated().isCompleted() || late) {
            return;
          }
          Thread.sleep(10);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (readiness == null) {
        return;
      }
      Duration took = Duration.between(began, Instant.now());
      try {
        synchronized (report) {
          if (!report.sent() && !late) { // late: the watch stops it, then reports that
            report.send(MonitorStartCommand.report(new DaemonStarter.Started(record, took, claim.stale()), base,
                token, report.out(), report.err()));
            log.info("ready {} ms after the launcher started; reported", took.toMillis());
          }
        }
      } catch (IOException e) {
        log.error("cannot report the start to the launcher ({}): nobody waits for it; stopping", e.getMessage());
        givenUp = true;
        CoordinatedShutdown.get(recorded).run(new GivenUp());
      } finally {
        release();
      }
    }

    /**
     * Starts the watch of the deadline: past it without a report, it stops the monitor (when it has one yet), then
     * reports the failure and exits.
     */
    Thread watchDeadline() {
      Thread watch = new Thread(() -> {
        try {
          Thread.sleep(timeout.toMillis());
          synchronized (report) {
            if (report.sent()) {
              return;
            }
            late = true;
          }
          log.error("not ready within {}: stopping", DaemonStarter.seconds(timeout));
          ActorSystem<Guardian.Command> stopping = system;
          if (stopping != null) {
            CoordinatedShutdown.get(stopping).run(new GivenUp());
            stopping.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          }
          Readiness known = readiness;
          fail(DaemonStarter.notReady(timeout, known != null && known.problem() != null
              ? "it recorded itself, but " + known.problem()
              : stopping != null ? "it recorded itself, but was not ready"
              : "it did not record itself in " + base.daemonFile()));
        } catch (InterruptedException e) {
          return;
        } catch (ExecutionException | TimeoutException e) {
          fail(DaemonStarter.notReady(timeout, "it did not stop in time either"));
        }
        System.exit(1); // what remains of the shutdown (the hidden session, the record) runs in its hook
      }, "start-deadline");
      watch.setDaemon(true);
      watch.start();
      return watch;
    }

    /**
     * Reports a failed start of this process's monitor, with the output and log written since it began; false when
     * the start was reported already.
     */
    boolean fail(String reason) {
      long pid = ProcessHandle.current().pid();
      synchronized (report) {
        if (report.sent()) {
          return false;
        }
        int status = 1;
        try {
          status = MonitorStartCommand.report(DaemonStarter.failed(base, pid, reason, outFrom, logFrom), base, token,
              report.out(), report.err());
        } catch (IOException e) {
          report.err().println("tmux-orc: " + reason + " (pid " + pid + ")");
        }
        try {
          report.send(status);
        } catch (IOException e) {
          log.error("cannot report the failed start to the launcher: {}", e.getMessage());
        }
      }
      release();
      return true;
    }

    void release() {
      try {
        claim.close();
      } catch (IOException e) {
        log.warn("cannot release {}: {}", base.startLock(), e.getMessage());
      }
    }
  }

  /** How long one ask for the tree's parts may take (they answer once the subscribers have). */
  private static final Duration PARTS_TIMEOUT = Duration.ofSeconds(5);
  /** How long the watch waits for a monitor not ready in time to stop. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /** The reason a monitor that was being started stops: its start failed or was given up. */
  private static final class GivenUp implements CoordinatedShutdown.Reason { }
}
