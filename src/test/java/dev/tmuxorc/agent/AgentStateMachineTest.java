package dev.tmuxorc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.agent.AgentStateMachine.Change;
import dev.tmuxorc.agent.AgentStateMachine.Outcome;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentStateMachineTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private final AgentStateMachine machine = new AgentStateMachine(AgentStateMachine.Rules.defaults(), T0);

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  private Outcome see(String screen, AgentState verdict, long millis) {
    return machine.observe(screen, Observation.of(verdict), at(millis));
  }

  @Test
  void workingAppliesAtOnce() {
    Outcome outcome = see("spinner 1s", AgentState.WORKING, 0);
    assertEquals(Optional.of(new Change<>(AgentState.UNKNOWN, AgentState.WORKING)), outcome.stateChange());
    assertEquals(at(0), machine.since());
  }

  @Test
  void idleWaitsForTheScreenToSettleAndAsksForAConfirmation() {
    see("spinner 1s", AgentState.WORKING, 0);
    Outcome first = see("done, empty prompt", AgentState.IDLE, 1000);
    assertTrue(first.stateChange().isEmpty(), "one idle look at a screen that just changed is not enough");
    assertEquals(Optional.of(Duration.ofMillis(500)), first.confirmAfter());
    assertEquals(AgentState.WORKING, machine.state());

    Outcome second = see("done, empty prompt", AgentState.IDLE, 1300);
    assertEquals(Optional.of(new Change<>(AgentState.WORKING, AgentState.IDLE)), second.stateChange());
    assertEquals(at(1300), machine.since());
  }

  @Test
  void idleOnAScreenThatKeepsChangingIsNotAccepted() {
    see("out 1", AgentState.WORKING, 0);
    see("out 2", AgentState.IDLE, 500);
    assertEquals(AgentState.WORKING, machine.state());
    see("out 3", AgentState.IDLE, 1000);
    assertEquals(AgentState.WORKING, machine.state(), "still flowing output");
  }

  @Test
  void idleIsAcceptedAfterTheDebounceOfAnUnchangedScreen() {
    see("prompt", AgentState.WORKING, 0);
    see("prompt", AgentState.UNKNOWN, 200);
    Outcome outcome = see("prompt", AgentState.IDLE, 1700);
    assertEquals(AgentState.IDLE, machine.state());
    assertTrue(outcome.confirmAfter().isEmpty());
  }

  @Test
  void unsubmittedIsDebouncedLikeIdleBecauseSomeoneMayBeTyping() {
    see("> plea", AgentState.UNSUBMITTED, 0);
    assertEquals(AgentState.UNKNOWN, machine.state());
    see("> please", AgentState.UNSUBMITTED, 300);
    assertEquals(AgentState.UNKNOWN, machine.state());
    see("> please", AgentState.UNSUBMITTED, 700);
    assertEquals(AgentState.UNSUBMITTED, machine.state());
  }

  @Test
  void aCrashSeenOnScreenNeedsASecondCapture() {
    see("prompt", AgentState.IDLE, 0);
    see("prompt", AgentState.IDLE, 100);
    Outcome first = see("user@host:~$ ", AgentState.CRASHED, 2000);
    assertTrue(first.stateChange().isEmpty());
    assertTrue(first.confirmAfter().isPresent());
    Outcome second = see("user@host:~$ ", AgentState.CRASHED, 3500);
    assertEquals(Optional.of(new Change<>(AgentState.IDLE, AgentState.CRASHED)), second.stateChange());
  }

  @Test
  void aCrashNotConfirmedIsForgotten() {
    see("prompt", AgentState.WORKING, 0);
    see("user@host:~$ ", AgentState.CRASHED, 100);
    see("spinner", AgentState.WORKING, 200);
    see("user@host:~$ ", AgentState.CRASHED, 300);
    assertEquals(AgentState.WORKING, machine.state(), "two crash verdicts must be consecutive");
  }

  @Test
  void aDeadPaneIsCrashedAtOnce() {
    see("spinner", AgentState.WORKING, 0);
    Outcome outcome = machine.paneDead(Optional.of(1), at(100));
    assertEquals(Optional.of(new Change<>(AgentState.WORKING, AgentState.CRASHED)), outcome.stateChange());
    assertEquals("pane-dead", machine.evidence().get(0).rule());
  }

  @Test
  void rateLimitedHoldsUntilTheResetTimeUnlessTheAgentVisiblyWorks() {
    Instant reset = at(60_000);
    machine.observe("limit", new Observation(AgentState.RATE_LIMITED, List.of(), Optional.of(reset)), at(0));
    assertEquals(AgentState.RATE_LIMITED, machine.state());
    see("prompt", AgentState.IDLE, 1000);
    see("prompt", AgentState.IDLE, 5000);
    see("error", AgentState.ERROR, 6000);
    assertEquals(AgentState.RATE_LIMITED, machine.state(), "held until the reset");
    assertEquals(Optional.of(reset), machine.resetAt());
    see("prompt", AgentState.IDLE, 61_000);
    see("prompt", AgentState.IDLE, 61_100);
    assertEquals(AgentState.IDLE, machine.state(), "released after the reset");
  }

  @Test
  void workingEndsARateLimitEarly() {
    machine.observe("limit", new Observation(AgentState.RATE_LIMITED, List.of(), Optional.of(at(60_000))), at(0));
    see("spinner", AgentState.WORKING, 1000);
    assertEquals(AgentState.WORKING, machine.state());
    assertTrue(machine.resetAt().isEmpty());
  }

  @Test
  void theFirstResetTimeIsKept() {
    machine.observe("limit", new Observation(AgentState.RATE_LIMITED, List.of(), Optional.of(at(60_000))), at(0));
    machine.observe("limit", new Observation(AgentState.RATE_LIMITED, List.of(), Optional.of(at(86_460_000))),
        at(61_000));
    assertEquals(Optional.of(at(60_000)), machine.resetAt());
  }

  @Test
  void healthDegradesWithConsecutiveFailedChecksAndRecoversOnSuccess() {
    see("spinner", AgentState.WORKING, 0);
    assertEquals(Health.HEALTHY, machine.health());
    machine.captureFailed(at(1000));
    assertEquals(Health.HEALTHY, machine.health(), "one failure is not yet a warning");
    assertEquals(Optional.of(new Change<>(Health.HEALTHY, Health.WARNING)),
        machine.captureFailed(at(2000)).healthChange());
    assertEquals(Optional.of(new Change<>(Health.WARNING, Health.UNRESPONSIVE)),
        machine.captureFailed(at(3000)).healthChange(), "three impossible captures: unresponsive");
    assertEquals(Optional.of(new Change<>(Health.UNRESPONSIVE, Health.HEALTHY)),
        see("spinner 2", AgentState.WORKING, 4000).healthChange());
    assertEquals(0, machine.consecutiveFailures());
  }

  @Test
  void errorVerdictsAreFailedChecksThatMakeTheAgentCritical() {
    see("err", AgentState.ERROR, 0);
    see("err", AgentState.ERROR, 1000);
    assertEquals(Health.WARNING, machine.health());
    machine.captureFailed(at(2000));
    assertEquals(Health.CRITICAL, machine.health(), "mixed failures: critical, not unresponsive");
  }

  @Test
  void timeInStateAndPreviousStateAreTracked() {
    see("s", AgentState.WORKING, 0);
    see("w", AgentState.WAITING, 4000);
    assertEquals(AgentState.WORKING, machine.previousState());
    var times = machine.timeInState(at(10_000));
    assertEquals(Duration.ofSeconds(4), times.get(AgentState.WORKING));
    assertEquals(Duration.ofSeconds(6), times.get(AgentState.WAITING));
  }

  @Test
  void anUnrecognisedScreenThatKeepsChangingIsOutputFlowingSoWorking() {
    see("prompt", AgentState.IDLE, 0);
    see("prompt", AgentState.IDLE, 100);
    assertEquals(AgentState.IDLE, machine.state());
    Outcome first = see("[build] compiling mod_001.ts ... ok", AgentState.UNKNOWN, 1000);
    assertTrue(first.stateChange().isEmpty(), "one changed frame may be a half-drawn redraw");
    assertEquals(Optional.of(Duration.ofMillis(500)), first.confirmAfter());
    Outcome outcome = see("[build] compiling mod_002.ts ... ok", AgentState.UNKNOWN, 1500);
    assertEquals(Optional.of(new Change<>(AgentState.IDLE, AgentState.WORKING)), outcome.stateChange());
    assertEquals("output-flowing", machine.evidence().get(0).rule());
  }

  @Test
  void anUnrecognisedScreenThatChangedOnceAndThenStoodStillIsNotWorking() {
    // e.g. a pager opened over an idle prompt: one change, then the confirmation capture sees the same screen
    see("prompt", AgentState.IDLE, 0);
    see("prompt", AgentState.IDLE, 100);
    Outcome first = see("some pager", AgentState.UNKNOWN, 1000);
    assertEquals(Optional.of(Duration.ofMillis(500)), first.confirmAfter());
    Outcome confirm = see("some pager", AgentState.UNKNOWN, 1500);
    assertTrue(confirm.stateChange().isEmpty(), "the screen changed once, not on two captures in a row");
    assertEquals(AgentState.IDLE, machine.state());
    assertEquals(at(1000), machine.lastChange());
  }

  @Test
  void anUnrecognisedFrameBreaksTheTwoLooksAtACrash() {
    see("prompt", AgentState.IDLE, 0);
    see("prompt", AgentState.IDLE, 100);
    see("user@host:~$ ", AgentState.CRASHED, 1000);
    see("garbled", AgentState.UNKNOWN, 1200);
    see("user@host:~$ ", AgentState.CRASHED, 1400);
    assertEquals(AgentState.IDLE, machine.state(), "the two crash looks were not consecutive");
  }

  @Test
  void aFrameCaughtHalfDrawnIsNotWorking() {
    see("⏺ API Error: 529 ... │ >  │", AgentState.ERROR, 0);
    see("⏺ Done. NOTES.md ╭───", AgentState.UNKNOWN, 1000); // the idle screen, half drawn
    see("⏺ Done. NOTES.md ╭─╮ │ >  │ ╰─╯", AgentState.IDLE, 1500);
    see("⏺ Done. NOTES.md ╭─╮ │ >  │ ╰─╯", AgentState.IDLE, 2000);
    assertEquals(AgentState.IDLE, machine.state());
    assertEquals(AgentState.ERROR, machine.previousState(), "never reported working in between");
  }

  @Test
  void anUnrecognisedScreenSeenFirstOrUnchangedSaysNothing() {
    see("some pager", AgentState.UNKNOWN, 0);
    assertEquals(AgentState.UNKNOWN, machine.state(), "the first look has nothing to compare with");
    see("prompt", AgentState.IDLE, 100);
    see("prompt", AgentState.IDLE, 200);
    see("prompt", AgentState.UNKNOWN, 300);
    assertEquals(AgentState.IDLE, machine.state(), "an unchanged screen is not output flowing");
  }

  @Test
  void lastChangeFollowsTheScreenNotTheVerdict() {
    see("a", AgentState.WORKING, 0);
    see("a", AgentState.WORKING, 1000);
    assertEquals(at(0), machine.lastChange());
    see("b", AgentState.WORKING, 2000);
    assertEquals(at(2000), machine.lastChange());
  }
}
