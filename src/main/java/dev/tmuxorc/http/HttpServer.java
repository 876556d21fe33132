package dev.tmuxorc.http;

import dev.tmuxorc.config.SettingsException;
import java.net.BindException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/** Serves a route on the configured address until the actor system shuts down. */
public final class HttpServer {

  /** How long open requests (and event streams, which never end) get once the server stops listening. */
  private static final Duration TERMINATION_DEADLINE = Duration.ofSeconds(2);

  private HttpServer() {
  }

  /**
   * Starts, on a thread of its own, what binding will need and a cold JVM takes long to make: pekko-stream's plain
   * (non-TLS) connections still ask for the JVM's default SSL context once (TLSPlacebo's dummy session), which
   * loads the security providers and parses the trusted certificates: ~0.15 s on the way to the first bind, or
   * ~500 classes. Called as the monitor starts, it is done by the time the routes are built (docs/benchmarks.md,
   * run 7). Harmless if it fails: the bind then makes the context itself, and reports what went wrong.
   */
  public static void warmUp() {
    Thread warmUp = new Thread(() -> {
      try {
        SSLContext.getDefault();
      } catch (NoSuchAlgorithmException | RuntimeException e) {
        // the bind will meet it again, and say so
      }
    }, "tls-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /**
   * Binds {@code route} on {@code settings.host():settings.port()} (port 0: any free port, see
   * {@link ServerBinding#localAddress()}) and unbinds it in the service-unbind phase of coordinated shutdown.
   * Fails with a {@link SettingsException} naming the address and the key to change when it cannot bind.
   */
  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, HttpSettings settings, Route route) {
    String address = settings.host() + ":" + settings.port();
    ServerSettings serverSettings = ServerSettings.create(system.classicSystem())
        .withParsingErrorHandler(ParseErrorResponses.class.getName());
    return Http.get(system).newServerAt(settings.host(), settings.port()).withSettings(serverSettings).bind(route)
        .handle((binding, failure) -> {
          if (failure != null) {
            throw new SettingsException("cannot serve the HTTP API on " + address + ": " + reason(failure)
                + "; set tmux-orc.http.port (TMUX_ORC_HTTP_PORT) to a free port or 0 for any, or "
                + "tmux-orc.http.enabled = false", failure);
          }
          var bound = binding.localAddress();
          system.log().info("HTTP API on http://{}:{}/ (events: /api/events, metrics: /metrics)",
              bound.getHostString(), bound.getPort());
          CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-api-unbind",
              () -> binding.terminate(TERMINATION_DEADLINE).thenApply(terminated -> Done.done()));
          return binding;
        });
  }

  private static String reason(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        return "the address is in use or not available (" + c.getMessage() + ")";
      }
    }
    return String.valueOf(t.getMessage());
  }
}
