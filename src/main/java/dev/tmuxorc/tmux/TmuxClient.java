package dev.tmuxorc.tmux;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Runs batches of tmux commands and returns one {@link Reply} per command, in order. */
public interface TmuxClient extends AutoCloseable {

  /**
   * Hears each reply of a batch as soon as it arrives, with its index in the batch, before the whole batch
   * completes. Called on the client's own thread, so it must be quick (hand the reply on, never block).
   */
  @FunctionalInterface
  interface ReplyListener {
    ReplyListener NONE = (index, reply) -> { };

    void onReply(int index, Reply reply);
  }

  /**
   * Runs the commands of one batch. The stage fails with {@link TmuxUnavailableException} when the client
   * cannot reach the server or dies before every reply arrived; a command tmux rejects is a failed {@link Reply}.
   */
  default CompletionStage<List<Reply>> run(List<TmuxCommand> batch) {
    return run(batch, ReplyListener.NONE);
  }

  /** As {@link #run(List)}, telling {@code listener} about each reply as it arrives. */
  CompletionStage<List<Reply>> run(List<TmuxCommand> batch, ReplyListener listener);

  /** Completes with a reason once the client's connection is gone. */
  CompletionStage<String> whenClosed();

  /** False once the client's connection is gone; a dead client never comes back. */
  boolean isAlive();

  /** Ends the client and fails the replies still outstanding. */
  @Override
  void close();
}
