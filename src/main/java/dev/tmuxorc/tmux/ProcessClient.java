package dev.tmuxorc.tmux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Runs every command as its own {@code tmux} process, one after another: the fallback when control mode
 * cannot be used, and the baseline the benchmarks compare the pooled control clients against.
 */
public final class ProcessClient implements TmuxClient {

  private final TmuxServer server;
  private final Executor blocking;
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  /** {@code blocking} runs the process waits; they must not block an actor dispatcher. */
  public ProcessClient(TmuxServer server, Executor blocking) {
    this.server = server;
    this.blocking = blocking;
  }

  @Override
  public CompletionStage<List<Reply>> run(List<TmuxCommand> batch, ReplyListener listener) {
    return CompletableFuture.supplyAsync(() -> {
      List<Reply> replies = new ArrayList<>(batch.size());
      for (TmuxCommand command : batch) {
        Reply reply = runOne(command);
        listener.onReply(replies.size(), reply);
        replies.add(reply);
      }
      return replies;
    }, blocking);
  }

  /** Runs one command synchronously; arguments go to exec as they are, so no quoting is involved. */
  public Reply runOne(TmuxCommand command) {
    if (closed.isDone()) {
      throw new TmuxUnavailableException("process client closed");
    }
    List<String> argv = new ArrayList<>(server.commandPrefix());
    argv.addAll(command.args());
    try {
      Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      int status = process.waitFor();
      String stdout = new String(out, StandardCharsets.UTF_8);
      if (status == 0) {
        // "a\nb\n" holds two lines: the last newline ends the last line.
        return Reply.ok(stdout.endsWith("\n") ? stdout.substring(0, stdout.length() - 1) : stdout);
      }
      String message = new String(err, StandardCharsets.UTF_8).trim();
      if (isServerMissing(message)) {
        throw new TmuxUnavailableException("no tmux server running on " + server.describe()
            + (message.isEmpty() ? "" : " (" + message + ")"));
      }
      return Reply.error(message.isEmpty() ? "tmux exited with status " + status : message);
    } catch (IOException e) {
      throw new TmuxUnavailableException("cannot run '" + server.binary() + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TmuxUnavailableException("interrupted while running tmux");
    }
  }

  static boolean isServerMissing(String stderr) {
    return stderr.startsWith("no server running") || stderr.startsWith("error connecting to")
        || stderr.contains("server exited unexpectedly") || stderr.isEmpty();
  }

  @Override
  public CompletionStage<String> whenClosed() {
    return closed;
  }

  @Override
  public boolean isAlive() {
    return !closed.isDone();
  }

  @Override
  public void close() {
    closed.complete("closed");
  }
}
