package dev.tmuxorc.tmux;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Opens one new client (blocking); throws {@link TmuxUnavailableException} when tmux cannot be reached.
 * {@code blocking} is where the client may run blocking work of its own.
 */
@FunctionalInterface
public interface ClientFactory {

  TmuxClient open(Consumer<Notification> notifications, Executor blocking);
}
