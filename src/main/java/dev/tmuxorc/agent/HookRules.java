package dev.tmuxorc.agent;

import dev.tmuxorc.config.Settings;

/** How every agent reads its hook events and fuses them with its screen ({@code tmux-orc.hooks}); shared. */
public record HookRules(HookMapping mapping, Settings.Hooks settings) {

  public static HookRules of(Settings.Hooks hooks) {
    return new HookRules(new HookMapping(hooks.mapping()), hooks);
  }
}
