package dev.tmuxorc.tmux;

/** The tmux server cannot be reached (not running, socket missing, binary absent, or the client died). */
public final class TmuxUnavailableException extends RuntimeException {

  public TmuxUnavailableException(String message) {
    super(message);
  }

  public TmuxUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
