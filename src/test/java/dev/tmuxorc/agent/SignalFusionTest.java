package dev.tmuxorc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.detect.HookMeaning;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fusion rules of docs/detection.md, one by one, with the default tuning and mapping. */
class SignalFusionTest {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  private static final HookMapping MAPPING =
      HookRules.of(Settings.from(ConfigFactory.load()).hooks()).mapping();

  private final SignalFusion fusion = new SignalFusion(SignalFusion.Tuning.defaults());

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static SignalFusion.ScreenReading screen(AgentState state, Instant lastChange) {
    return screen(state, lastChange, lastChange);
  }

  private static SignalFusion.ScreenReading screen(AgentState state, Instant lastChange, Instant seenAt) {
    return new SignalFusion.ScreenReading(state, List.of(new Evidence(state.wireName(), "m", 3, "line")),
        Optional.empty(), lastChange, seenAt);
  }

  private void hook(String name, Instant at, String... details) {
    Map<String, String> fields = details.length == 0 ? Map.of() : Map.of(details[0], details[1]);
    fusion.hook(MAPPING.read(new HookEvent("claude", name, Optional.of("s-1"), Optional.empty(), Optional.empty(),
        fields, at)));
  }

  @Test
  void withoutHooksTheScreenDecidesAndNothingIsWatched() {
    SignalFusion.Step step = fusion.update(screen(AgentState.IDLE, at(0)), at(1));
    assertEquals(AgentState.IDLE, step.verdict().state());
    assertEquals("idle", step.verdict().rule());
    assertTrue(step.nextCheck().isEmpty());
  }

  @Test
  void theMappingReadsQualifiedKeysFirstAndIgnoresWhatItDoesNotKnow() {
    assertEquals(HookMeaning.WAITING, MAPPING.read(event("Notification", "notification_type",
        "permission_prompt")).meaning());
    assertEquals("Notification:permission_prompt", MAPPING.read(event("Notification", "notification_type",
        "permission_prompt")).key());
    assertEquals(HookMeaning.IGNORE, MAPPING.read(event("Notification", "notification_type", "auth_success"))
        .meaning());
    assertEquals(HookMeaning.RATE_LIMITED, MAPPING.read(event("StopFailure", "error_type", "rate_limit")).meaning());
    assertEquals(HookMeaning.ERROR, MAPPING.read(event("StopFailure", "error_type", "server_error")).meaning());
    assertEquals(HookMeaning.WAITING, MAPPING.read(event("PreToolUse", "tool_name", "AskUserQuestion")).meaning());
    assertEquals(HookMeaning.WORKING, MAPPING.read(event("PreToolUse", "tool_name", "Bash")).meaning());
    assertEquals(HookMeaning.LEFT, MAPPING.read(event("SessionEnd", "reason", "exit")).meaning());
    assertEquals(HookMeaning.IGNORE, MAPPING.read(event("SomethingNew", "reason", "x")).meaning());
  }

  private static HookEvent event(String name, String field, String value) {
    return new HookEvent("claude", name, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(field, value),
        T0);
  }

  @Test
  void hooksSayingWorkingOutrankAScreenThatReadsIdle() {
    hook("PreToolUse", at(0), "tool_name", "Bash");
    SignalFusion.Step step = fusion.update(screen(AgentState.IDLE, at(1)), at(2));
    assertEquals(AgentState.WORKING, step.verdict().state());
    assertEquals("hook", step.verdict().rule());
    assertEquals("idle", step.verdict().evidence().get(1).rule()); // the screen's evidence follows
  }

  @Test
  void aDialogOnScreenOutranksHooksSayingWorking() {
    hook("PreToolUse", at(0), "tool_name", "Bash");
    SignalFusion.Step step = fusion.update(screen(AgentState.WAITING, at(1)), at(1));
    assertEquals(AgentState.WAITING, step.verdict().state());
    assertEquals("screen-over-hook", step.verdict().rule());
  }

  @Test
  void aDialogCapturedBeforeAHookSayingWorkingIsWhatTheHookAnswered() {
    hook("PermissionRequest", at(0), "tool_name", "Bash");
    assertEquals(AgentState.WAITING, fusion.update(screen(AgentState.WAITING, at(0), at(4)), at(4)).verdict().state());
    // the permission granted, the tool ran: PostToolUse comes before the next capture of the (changed) screen
    hook("PostToolUse", at(5), "tool_name", "Bash");
    SignalFusion.Step step = fusion.update(screen(AgentState.WAITING, at(0), at(4)), at(5));
    assertEquals(AgentState.WORKING, step.verdict().state());
    assertEquals("hook", step.verdict().rule());
    // a capture after the event still showing a dialog (another tool's permission): the screen wins again
    step = fusion.update(screen(AgentState.WAITING, at(0), at(6)), at(6));
    assertEquals(AgentState.WAITING, step.verdict().state());
    assertEquals("screen-over-hook", step.verdict().rule());
  }

  @Test
  void aLimitCapturedBeforeAPromptSubmitGivesWayToIt() {
    hook("StopFailure", at(0), "error_type", "rate_limit");
    hook("UserPromptSubmit", at(10));
    SignalFusion.Step step = fusion.update(screen(AgentState.RATE_LIMITED, at(0), at(9)), at(10));
    assertEquals(AgentState.WORKING, step.verdict().state());
    assertEquals("hook", step.verdict().rule());
  }

  @Test
  void aStopWhileTheScreenGoesOnShowingWorkStaysWorking() {
    hook("Stop", at(0));
    // the prompt drawn right after the Stop is its echo: idle
    assertEquals(AgentState.IDLE, fusion.update(screen(AgentState.WORKING, at(1)), at(1)).verdict().state());
    // a background agent's spinner still moving later: working, decided by the screen
    SignalFusion.Step step = fusion.update(screen(AgentState.WORKING, at(5)), at(5));
    assertEquals(AgentState.WORKING, step.verdict().state());
    assertEquals("screen-after-hook", step.verdict().rule());
  }

  @Test
  void aPermissionRequestHoldsWaitingUntilTheScreenMovesOn() {
    hook("PermissionRequest", at(0));
    assertEquals(AgentState.WAITING, fusion.update(screen(AgentState.IDLE, at(1)), at(30)).verdict().state());
    assertEquals(AgentState.WORKING, fusion.update(screen(AgentState.WORKING, at(31)), at(31)).verdict().state());
  }

  @Test
  void aSessionStartGivesWayToAnyScreenVerdict() {
    hook("SessionStart", at(10), "source", "startup");
    assertEquals(AgentState.STARTING, fusion.update(screen(AgentState.UNKNOWN, at(0)), at(10)).verdict().state());
    // the prompt captured before the SessionStart (of a /clear) is what it ended: starting
    assertEquals(AgentState.STARTING, fusion.update(screen(AgentState.IDLE, at(9), at(9)), at(10)).verdict()
        .state());
    // the same prompt captured again after it: the screen's verdict
    assertEquals(AgentState.IDLE, fusion.update(screen(AgentState.IDLE, at(9), at(11)), at(11)).verdict().state());
  }

  @Test
  void aRateLimitFromHooksTakesItsResetTimeFromTheScreen() {
    hook("StopFailure", at(0), "error_type", "rate_limit");
    Instant reset = at(3600);
    SignalFusion.Step step = fusion.update(new SignalFusion.ScreenReading(AgentState.RATE_LIMITED, List.of(),
        Optional.of(reset), at(0), at(0)), at(1));
    assertEquals(AgentState.RATE_LIMITED, step.verdict().state());
    assertEquals(Optional.of(reset), step.verdict().resetAt());
  }

  @Test
  void aSessionEndLeavesTheScreenToDecide() {
    hook("PreToolUse", at(0), "tool_name", "Bash");
    hook("SessionEnd", at(5), "reason", "exit");
    assertEquals(AgentState.IDLE, fusion.update(screen(AgentState.IDLE, at(6)), at(7)).verdict().state());
  }

  @Test
  void aConfirmedCrashOnScreenOutranksEveryHook() {
    hook("PreToolUse", at(0), "tool_name", "Bash");
    assertEquals(AgentState.CRASHED, fusion.update(screen(AgentState.CRASHED, at(1)), at(1)).verdict().state());
  }

  @Test
  void workingWithNoHookAndAFrozenScreenIsStalledAndTheScreenDecides() {
    hook("PreToolUse", at(0), "tool_name", "Bash");
    SignalFusion.ScreenReading frozen = screen(AgentState.IDLE, at(1));
    SignalFusion.Step before = fusion.update(frozen, at(60));
    assertEquals(AgentState.WORKING, before.verdict().state());
    assertEquals(Optional.of(at(65)), before.nextCheck()); // the disagreement's deadline comes first
    assertTrue(fusion.update(frozen, at(65)).disagreement().isPresent());
    // then the later of hook and screen + stalled-after
    assertEquals(Optional.of(at(121)), fusion.update(frozen, at(66)).nextCheck());

    SignalFusion.Step stalled = fusion.update(frozen, at(121));
    assertEquals(List.of(AgentFlag.STALLED), stalled.flags().stream().map(SignalFusion.FlagChange::flag).toList());
    assertTrue(stalled.flags().get(0).on());
    assertEquals(AgentState.IDLE, stalled.verdict().state());
    assertEquals("stalled", stalled.verdict().rule());
    assertTrue(fusion.stalled());

    // the screen moves: no longer stalled, and the stale hook stays out of the verdict
    SignalFusion.Step moved = fusion.update(screen(AgentState.UNSUBMITTED, at(130)), at(130));
    assertFalse(moved.flags().get(0).on());
    assertEquals(AgentState.UNSUBMITTED, moved.verdict().state());
    assertEquals("unsubmitted", moved.verdict().rule());
  }

  @Test
  void aStallOnAFrozenSpinnerStaysWorkingAndANewHookClearsIt() {
    hook("PreToolUse", at(0), "tool_name", "Bash");
    SignalFusion.ScreenReading frozen = screen(AgentState.WORKING, at(0));
    SignalFusion.Step stalled = fusion.update(frozen, at(120));
    assertEquals(AgentState.WORKING, stalled.verdict().state());
    assertTrue(fusion.stalled());
    hook("PostToolUse", at(130), "tool_name", "Bash");
    SignalFusion.Step cleared = fusion.update(frozen, at(130));
    assertEquals(List.of(new SignalFusion.FlagChange(AgentFlag.STALLED, false, "a hook event arrived")),
        cleared.flags());
    assertEquals("hook", cleared.verdict().rule());
  }

  @Test
  void anyHookEventEndsAStallEvenOneThatMeansNothing() {
    // HookFacts (the API's hooks.stalled) clears the flag on every hook event: the fusion must agree, or the API
    // says "not stalled" while explain, the metrics and the verdict go on saying stalled, with no FlagChanged.
    hook("PreToolUse", at(0), "tool_name", "Bash");
    SignalFusion.ScreenReading frozen = screen(AgentState.IDLE, at(0));
    assertEquals("stalled", fusion.update(frozen, at(120)).verdict().rule());
    assertTrue(fusion.stalled());

    hook("SubagentStop", at(130)); // ignored by the mapping, but a sign of life all the same
    SignalFusion.Step alive = fusion.update(frozen, at(130));
    assertEquals(List.of(new SignalFusion.FlagChange(AgentFlag.STALLED, false, "a hook event arrived")),
        alive.flags());
    assertFalse(fusion.stalled());
    assertTrue(fusion.readingInForce(), "the working reading counts again");
    assertEquals(AgentState.WORKING, alive.verdict().state());
    assertEquals("hook", alive.verdict().rule());
    assertEquals("PreToolUse", fusion.reading().orElseThrow().event(), "an ignored event is no reading");
    // and it stalls again if nothing follows, stalled-after from that event
    assertTrue(fusion.update(frozen, at(249)).flags().isEmpty());
    assertEquals(List.of(AgentFlag.STALLED), fusion.update(frozen, at(250)).flags().stream()
        .map(SignalFusion.FlagChange::flag).toList());
  }

  @Test
  void hooksThatStopWhileTheScreenTurnsToWorkingAreSilentUntilTheNextOne() {
    hook("Stop", at(0));
    fusion.update(screen(AgentState.IDLE, at(0)), at(1));
    // much later the screen turns to working and no UserPromptSubmit comes
    fusion.screenChanged(AgentState.IDLE, AgentState.WORKING, at(600));
    SignalFusion.Step waiting = fusion.update(screen(AgentState.WORKING, at(600)), at(600));
    assertEquals(AgentState.WORKING, waiting.verdict().state());
    assertEquals("screen-after-hook", waiting.verdict().rule());
    fusion.update(screen(AgentState.WORKING, at(600)), at(605)); // the Stop/working disagreement, reported
    assertEquals(Optional.of(at(720)), fusion.update(screen(AgentState.WORKING, at(600)), at(606)).nextCheck());
    SignalFusion.Step silent = fusion.update(screen(AgentState.WORKING, at(700)), at(720));
    assertEquals(AgentFlag.HOOKS_SILENT, silent.flags().get(0).flag());
    assertTrue(fusion.silent());
    // the screen alone decides meanwhile: idle on screen is idle
    assertEquals(AgentState.IDLE, fusion.update(screen(AgentState.IDLE, at(800)), at(800)).verdict().state());
    assertEquals("idle", fusion.update(screen(AgentState.IDLE, at(800)), at(801)).verdict().rule());

    hook("UserPromptSubmit", at(900));
    SignalFusion.Step back = fusion.update(screen(AgentState.IDLE, at(800)), at(900));
    assertEquals(new SignalFusion.FlagChange(AgentFlag.HOOKS_SILENT, false, "a hook event arrived"),
        back.flags().get(0));
    assertEquals(AgentState.WORKING, back.verdict().state());
  }

  @Test
  void aTurnToWorkingAnsweredByAHookJustBeforeIsNotSilence() {
    hook("Stop", at(0));
    hook("UserPromptSubmit", at(300));
    fusion.screenChanged(AgentState.IDLE, AgentState.WORKING, at(301));
    SignalFusion.Step step = fusion.update(screen(AgentState.WORKING, at(301)), at(1000));
    assertTrue(step.flags().isEmpty() || step.flags().stream().noneMatch(f -> f.flag() == AgentFlag.HOOKS_SILENT));
    assertFalse(fusion.silent());
  }

  @Test
  void aDisagreementIsReportedOnceWhenItLastsAndNotWhileTheSourcesCatchUp() {
    hook("Stop", at(0));
    assertTrue(fusion.update(screen(AgentState.WORKING, at(0)), at(1)).disagreement().isEmpty());
    SignalFusion.Step fixed = fusion.update(screen(AgentState.IDLE, at(0)), at(2)); // the screen caught up
    assertTrue(fixed.disagreement().isEmpty());
    assertTrue(fixed.nextCheck().isEmpty());

    hook("PreToolUse", at(10), "tool_name", "Bash");
    SignalFusion.Step first = fusion.update(screen(AgentState.IDLE, at(0)), at(10));
    assertEquals(Optional.of(at(15)), first.nextCheck());
    SignalFusion.Step lasting = fusion.update(screen(AgentState.IDLE, at(0)), at(15));
    SignalFusion.Disagreement d = lasting.disagreement().orElseThrow();
    assertEquals(AgentState.WORKING, d.hookState());
    assertEquals(AgentState.IDLE, d.screenState());
    assertEquals(AgentState.WORKING, d.decided().state());
    assertTrue(fusion.update(screen(AgentState.IDLE, at(0)), at(20)).disagreement().isEmpty()); // once
  }

  @Test
  void stalledAfterIsMeasuredFromTheLaterOfHookAndScreen() {
    SignalFusion tuned = new SignalFusion(new SignalFusion.Tuning(Duration.ofSeconds(30), Duration.ofMinutes(2),
        Duration.ofSeconds(2), Duration.ofSeconds(5)));
    tuned.hook(MAPPING.read(event("UserPromptSubmit", "x", "y")));
    assertEquals(Optional.of(T0.plusSeconds(50)), tuned.update(screen(AgentState.WORKING, at(20)), at(21))
        .nextCheck());
  }
}
