package dev.tmuxorc.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The channels to people (docs/actions.md, "People"): each message is POSTed as JSON (a Slack-compatible
 * {@code text} field, and the event, session and pane) to every {@code people.webhooks} URL, retried with back-off
 * ({@link #ATTEMPTS} attempts); the {@code people.command} program is run with the fields in {@code TMUX_ORC_*}
 * environment variables (never spliced into its command line); {@code notify-send} shows it on the desktop when
 * {@code people.desktop} and it is installed. Every outcome is journalled.
 */
public final class People extends AbstractBehavior<People.Command> {

  public sealed interface Command { }

  /** Tell people: {@code event} (report, escalation...), about a session (and a pane, or null), in {@code text}. */
  public record Notify(String event, String session, String paneId, String text) implements Command { }

  private record Posted(Notify message, URI url, int attempt, int status, Throwable failure) implements Command { }

  private record Retry(Notify message, URI url, int attempt) implements Command { }

  private record Ran(Notify message, String channel, int exit, Throwable failure) implements Command { }

  public record Parts(ActionSettings settings, ActionGate gate, Optional<ActorRef<Journal.Command>> journal,
      ActionObserver observer, Clock clock) { }

  static final int ATTEMPTS = 4;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  public static Behavior<Command> create(Parts parts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new People(context, timers, parts)));
  }

  private final TimerScheduler<Command> timers;
  private final Parts parts;
  private final ActionLog actions;
  private final ActionSettings.People settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private People(ActorContext<Command> context, TimerScheduler<Command> timers, Parts parts) {
    super(context);
    context.setLoggerName(People.class);
    this.timers = timers;
    this.parts = parts;
    this.actions = new ActionLog("people", parts.journal(), parts.observer(), parts.clock(), context.getLog());
    this.settings = parts.settings().people();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Notify.class, this::onNotify)
        .onMessage(Retry.class, retry -> {
          post(retry.message(), retry.url(), retry.attempt());
          return this;
        })
        .onMessage(Posted.class, this::onPosted)
        .onMessage(Ran.class, this::onRan)
        .build();
  }

  private Behavior<Command> onNotify(Notify message) {
    if (dryOrNothing()) {
      return this;
    }
    if (parts.settings().dryRun() || parts.gate().paused()) {
      boolean dry = parts.settings().dryRun();
      action(message, "all", dry ? "dry-run" : "held", (dry ? "dry-run" : "paused")
          + ": would have told people: " + message.text());
      return this;
    }
    settings.webhooks().forEach(url -> post(message, url, 1));
    if (!settings.command().isBlank()) {
      run(message, "command", new ProcessBuilder("sh", "-c", settings.command()));
    }
    if (settings.desktop()) {
      onPath("notify-send").ifPresent(notifySend -> run(message, "desktop",
          new ProcessBuilder(notifySend.toString(), "--", "tmux-orc: " + message.event(), message.text())));
    }
    return this;
  }

  private boolean dryOrNothing() {
    return settings.webhooks().isEmpty() && settings.command().isBlank() && !settings.desktop();
  }

  private void post(Notify message, URI url, int attempt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", message.text());
    body.put("event", message.event());
    body.put("session", message.session());
    body.put("paneId", message.paneId());
    byte[] json;
    try {
      json = Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
    getContext().pipeToSelf(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()),
        (response, failure) -> new Posted(message, url, attempt, response == null ? 0 : response.statusCode(),
            failure));
  }

  private Behavior<Command> onPosted(Posted posted) {
    boolean ok = posted.failure() == null && posted.status() / 100 == 2;
    String channel = "webhook " + posted.url().getHost();
    if (ok) {
      action(posted.message(), channel, "delivered", "HTTP " + posted.status());
    } else if (posted.attempt() < ATTEMPTS) {
      Duration backoff = FIRST_BACKOFF.multipliedBy(1L << (posted.attempt() - 1));
      timers.startSingleTimer(new Retry(posted.message(), posted.url(), posted.attempt() + 1), backoff);
    } else {
      action(posted.message(), channel, "failed", (posted.failure() != null ? posted.failure().toString()
          : "HTTP " + posted.status()) + " after " + posted.attempt() + " attempts");
    }
    return this;
  }

  // The text reaches the program only through its environment: nothing is spliced into a shell line.
  private void run(Notify message, String channel, ProcessBuilder builder) {
    builder.environment().put("TMUX_ORC_EVENT", message.event());
    builder.environment().put("TMUX_ORC_SESSION", message.session());
    builder.environment().put("TMUX_ORC_PANE", message.paneId() == null ? "" : message.paneId());
    builder.environment().put("TMUX_ORC_TEXT", message.text());
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // waited for by the process's own exit future: no thread of a shared pool sits blocked on it
    CompletableFuture<Integer> exit;
    try {
      Process process = builder.start();
      exit = process.onExit().orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).handle((ended, failure) -> {
        if (failure != null) {
          process.destroyForcibly();
          throw new java.util.concurrent.CompletionException(new IllegalStateException("still running after "
              + TIMEOUT.toSeconds() + " s: ended"));
        }
        return ended.exitValue();
      });
    } catch (java.io.IOException e) {
      exit = CompletableFuture.failedFuture(e);
    }
    getContext().pipeToSelf(exit, (code, failure) -> new Ran(message, channel, code == null ? -1 : code, failure));
  }

  private Behavior<Command> onRan(Ran ran) {
    if (ran.failure() == null && ran.exit() == 0) {
      action(ran.message(), ran.channel(), "delivered", "exit status 0");
    } else {
      action(ran.message(), ran.channel(), "failed", ran.failure() != null ? ran.failure().getMessage()
          : "exit status " + ran.exit());
    }
    return this;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private void action(Notify message, String channel, String outcome, String why) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("channel", channel);
    fields.put("event", message.event());
    fields.put("session", message.session());
    actions.record(message.paneId(), outcome, why, fields);
  }

}
