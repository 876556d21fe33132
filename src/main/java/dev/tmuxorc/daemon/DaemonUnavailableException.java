package dev.tmuxorc.daemon;

/** The monitor is not running, or its API cannot be reached; the message says which and what to do. */
public final class DaemonUnavailableException extends RuntimeException {

  public DaemonUnavailableException(String message) {
    super(message);
  }

  public DaemonUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
