package dev.tmuxorc.tmux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent {@code tmux -C} client: a whole batch is written at once and the replies are matched to
 * the commands in order (tmux answers the commands of one client strictly in sequence).
 *
 * <p>The client attaches to a hidden session of its own ({@link #ensureSession}), so it never bumps
 * {@code session_attached} of a user's session nor resizes its windows; it attaches with
 * {@code -f no-output} from the start (toggling it later can wedge the client) and is never sized. Its owner
 * removes the hidden session (see {@link HiddenSession}). {@code -N} keeps tmux from starting a server when
 * none runs.
 */
public final class ControlClient implements TmuxClient {

  private static final Logger log = LoggerFactory.getLogger(ControlClient.class);
  private static final AtomicLong ids = new AtomicLong();

  private final long id = ids.incrementAndGet();
  private final TmuxServer server;
  private final String hiddenSession;
  private final Process process;
  private final OutputStream stdin;
  private final ControlParser parser = new ControlParser();
  private final ConcurrentLinkedQueue<CompletableFuture<Reply>> pending = new ConcurrentLinkedQueue<>();
  private final Object writeLock = new Object();
  private final Consumer<Notification> listener;
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  // Completes with tmux's own reply block to new-session/attach: commands sent before it may run before the
  // hidden session exists.
  private final CompletableFuture<Boolean> attached = new CompletableFuture<>();
  private volatile String exitReason = "";

  private ControlClient(TmuxServer server, String hiddenSession, Process process, Consumer<Notification> listener) {
    this.server = server;
    this.hiddenSession = hiddenSession;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.listener = listener;
  }

  /**
   * Starts a client attached to {@code hiddenSession} (created when missing) and waits until it answers.
   *
   * @throws TmuxUnavailableException when no server runs on that socket or tmux cannot be started
   */
  public static ControlClient start(TmuxServer server, String hiddenSession, Consumer<Notification> listener,
      Duration timeout) {
    ensureSession(server, hiddenSession);
    List<String> command = new ArrayList<>(server.commandPrefix());
    command.addAll(List.of("-C", "attach-session", "-t", "=" + hiddenSession, "-f", "no-output"));
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new TmuxUnavailableException("cannot start '" + server.binary() + "': " + e.getMessage(), e);
    }
    ControlClient client = new ControlClient(server, hiddenSession, process, listener);
    Thread reader = new Thread(client::readLoop, "tmux-control-" + client.id);
    reader.setDaemon(true);
    reader.start();
    try {
      CompletableFuture.anyOf(client.attached, client.closed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!client.attached.getNow(false)) {
        throw new ExecutionException(client.unavailable());
      }
      return client;
    } catch (ExecutionException e) {
      client.close();
      Throwable cause = e.getCause();
      throw cause instanceof TmuxUnavailableException tu ? tu
          : new TmuxUnavailableException("tmux control client failed: " + cause, cause);
    } catch (TimeoutException e) {
      client.close();
      throw new TmuxUnavailableException("tmux on " + server.describe() + " did not answer within " + timeout);
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw new TmuxUnavailableException("interrupted while connecting to tmux");
    }
  }

  /**
   * Creates the hidden session with a plain (not control-mode) tmux process unless it exists. tmux 3.3a
   * segfaulted (2 fresh start-ups in 20) when two control clients ran {@code new-session -A} for the same
   * name at once: the one whose creation lost the race failed its first command, tmux freed its control state
   * and then wrote the other's {@code %sessions-changed} to it. Control clients therefore only ever attach.
   */
  static void ensureSession(TmuxServer server, String hiddenSession) {
    // The hidden window runs a plain sleep: an interactive shell would load rc files for nothing.
    Reply created = new ProcessClient(server, Runnable::run).runOne(TmuxCommand.of("new-session", "-d", "-s",
        hiddenSession, "-x", "80", "-y", "24", "exec sleep 2147483647"));
    if (!created.ok() && !created.text().startsWith("duplicate session")) {
      throw new TmuxUnavailableException("tmux on " + server.describe() + " cannot create the hidden session '"
          + hiddenSession + "': " + created.text());
    }
  }

  /** The OS process id of the {@code tmux -C} client (for fault-injection tests and diagnostics). */
  public long pid() {
    return process.pid();
  }

  @Override
  public CompletionStage<String> whenClosed() {
    return closed;
  }

  @Override
  public CompletionStage<List<Reply>> run(List<TmuxCommand> batch, ReplyListener listener) {
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    StringBuilder lines = new StringBuilder(batch.size() * 32);
    for (TmuxCommand command : batch) {
      lines.append(command.toControlLine()).append('\n');
    }
    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    List<CompletableFuture<Reply>> replies = new ArrayList<>(batch.size());
    synchronized (writeLock) {
      if (closed.isDone()) {
        return CompletableFuture.failedFuture(unavailable());
      }
      // Queue before writing so the reader always finds the future its reply belongs to.
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        if (listener != ReplyListener.NONE) {
          int index = i;
          // Runs on the reader thread as the reply completes, before the next line is read.
          reply.thenAccept(done -> listener.onReply(index, done));
        }
        replies.add(reply);
        pending.add(reply);
      }
      try {
        stdin.write(bytes);
        stdin.flush();
      } catch (IOException e) {
        // The reader sees the end of the stream and fails the pending replies with tmux's own reason.
        process.destroy();
      }
    }
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
        .thenApply(done -> replies.stream().map(CompletableFuture::join).toList());
  }

  @Override
  public boolean isAlive() {
    return !closed.isDone() && process.isAlive();
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      try {
        stdin.close(); // tmux detaches a control client whose input closes
      } catch (IOException ignored) {
        // already gone
      }
    }
    try {
      if (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    shutDown("closed");
  }

  private void readLoop() {
    try (InputStream in = process.getInputStream()) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        parser.feed(buffer, 0, n, this::dispatch);
      }
    } catch (IOException e) {
      log.debug("tmux-control-{}: read failed: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("tmux-control-{}: reader failed", id, e);
    }
    shutDown(describeExit());
  }

  private void dispatch(ControlEvent event) {
    if (event instanceof ControlEvent.ReplyBlock block) {
      if (!block.sentByClient()) {
        attached.complete(block.ok());
      } else {
        CompletableFuture<Reply> reply = pending.poll();
        if (reply != null) {
          reply.complete(block.toReply());
        } else {
          log.warn("tmux-control-{}: reply {} without a pending command", id, block.number());
        }
      }
    } else if (event instanceof Notification notification) {
      if (notification instanceof Notification.Exit exit) {
        exitReason = exit.reason();
      }
      try {
        listener.accept(notification);
      } catch (RuntimeException e) {
        log.warn("tmux-control-{}: notification listener failed", id, e);
      }
    }
  }

  private String describeExit() {
    String stderr = "";
    try {
      if (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
        return exitReason.isEmpty() ? "connection closed" : exitReason;
      }
      stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException | InterruptedException e) {
      // keep what we have
    }
    if (stderr.startsWith("error connecting to") || stderr.startsWith("no server running")) {
      return "no tmux server running on " + server.describe() + " (" + stderr + ")";
    }
    if (!stderr.isEmpty()) {
      return stderr;
    }
    if (!exitReason.isEmpty()) {
      return exitReason;
    }
    return "no tmux server running on " + server.describe();
  }

  private void shutDown(String reason) {
    // Under the write lock, so that no reply can be queued after the queue was drained.
    synchronized (writeLock) {
      if (closed.complete(reason)) {
        log.debug("tmux-control-{} on {} closed: {}", id, hiddenSession, reason);
      }
      TmuxUnavailableException failure = unavailable();
      CompletableFuture<Reply> reply;
      while ((reply = pending.poll()) != null) {
        reply.completeExceptionally(failure);
      }
    }
    if (process.isAlive() && !"closed".equals(reason)) {
      process.destroy();
    }
  }

  private TmuxUnavailableException unavailable() {
    String reason = closed.getNow("connection closed");
    return new TmuxUnavailableException(reason.startsWith("no tmux server") ? reason
        : "tmux control client on " + server.describe() + " is gone: " + reason);
  }
}
