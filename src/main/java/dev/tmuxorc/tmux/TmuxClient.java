package dev.tmuxorc.tmux;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Runs batches of tmux commands and returns one {@link Reply} per command, in order. */
public interface TmuxClient extends AutoCloseable {

  /**
   * Runs the commands of one batch. The stage fails with {@link TmuxUnavailableException} when the client
   * cannot reach the server or dies before every reply arrived; a command tmux rejects is a failed {@link Reply}.
   */
  CompletionStage<List<Reply>> run(List<TmuxCommand> batch);

  /** Completes with a reason once the client's connection is gone. */
  CompletionStage<String> whenClosed();

  /** False once the client's connection is gone; a dead client never comes back. */
  boolean isAlive();

  /** Ends the client and fails the replies still outstanding. */
  @Override
  void close();
}
