package dev.tmuxorc.actions;

/** Hears every action's outcome (the metrics count them by action and outcome). */
@FunctionalInterface
public interface ActionObserver {

  ActionObserver NONE = (action, outcome) -> { };

  void acted(String action, String outcome);
}
