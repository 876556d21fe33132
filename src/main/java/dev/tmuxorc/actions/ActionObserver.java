package dev.tmuxorc.actions;

/**
 * Hears every action's outcome, and how long agents waited for attention (the metrics count and time them).
 */
@FunctionalInterface
public interface ActionObserver {

  ActionObserver NONE = (action, outcome) -> { };

  void acted(String action, String outcome);

  /**
   * An agent left a state that needed attention (waiting, idle, unsubmitted, crashed, error) after
   * {@code waited} in it, once it had been reported: the PM, a person or the agent itself acted.
   */
  default void waited(String state, java.time.Duration waited) {
  }
}
