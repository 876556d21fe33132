package dev.tmuxorc.config;

/** Configuration that cannot be used; the message names the key (or file) at fault. The CLI exits with 2. */
public final class SettingsException extends RuntimeException {

  public SettingsException(String message) {
    super(message);
  }

  public SettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
