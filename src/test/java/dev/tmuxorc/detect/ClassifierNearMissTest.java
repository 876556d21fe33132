package dev.tmuxorc.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.discovery.AgentKind;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One near miss per rule: text that looks like a marker but must not change the verdict, and the real thing. */
class ClassifierNearMissTest {

  private static final String RULE = "─".repeat(80);
  private static final String BOX_TOP = "╭" + "─".repeat(78) + "╮";
  private static final String BOX_BOTTOM = "╰" + "─".repeat(78) + "╯";

  /** Old-style Claude input box holding the given text, with its footer. */
  static String box(String typed) {
    return BOX_TOP + "\n│ > " + pad(typed, 75) + "│\n" + BOX_BOTTOM + "\n  ? for shortcuts\n";
  }

  /** New-style Claude prompt between rules. */
  static String rules(String typed) {
    return RULE + "\n❯ " + typed + "\n" + RULE + "\n  ⏵⏵ accept edits on (shift+tab to cycle)\n";
  }

  static Observation classify(String screen) {
    return classify(AgentKind.CLAUDE, screen);
  }

  static Observation classify(AgentKind kind, String screen) {
    return DefaultDetection.CLASSIFIER.classify(screen, PaneFacts.of(kind), DefaultDetection.NOW);
  }

  static AgentState state(String screen) {
    return classify(screen).state();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }

  @Nested
  class Crashed {

    @Test
    void deadPaneIsCrashedWhateverTheScreenSays() {
      Observation observation =
          DefaultDetection.CLASSIFIER.classify(
              "✻ Pondering… (3s · esc to interrupt)\n" + box(""),
              new PaneFacts(AgentKind.CLAUDE, true, "claude"),
              DefaultDetection.NOW);
      assertEquals(AgentState.CRASHED, observation.state());
      assertEquals("pane-dead", observation.evidence().get(0).rule());
    }

    @Test
    void crashWordsInTheTranscriptAboveALivePromptAreNotACrash() {
      String screen =
          """
          ⏺ Bash(./run-workers.sh)
            ⎿  Killed 4 workers
               Segmentation fault (core dumped)
               bash: jq: command not found
               Traceback (most recent call last):
          Killed

          ⏺ Build failed: the worker pool segfaults under load; 3 tests failed.
          """
              + box("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void segfaultBelowTheAgentFrameIsACrash() {
      assertEquals(AgentState.CRASHED, state("⏺ Done.\n\n" + box("") + "Segmentation fault (core dumped)\n"));
    }

    @Test
    void commandNotFoundAsTheLastThingIsACrashEvenBehindAFancyPrompt() {
      Observation observation =
          classify("⏺ Done.\n\n" + rules("") + "\nzsh: command not found: claude\n➜  billing git:(main)\n");
      assertEquals(AgentState.CRASHED, observation.state());
      assertEquals("crash-text", observation.evidence().get(0).rule());
      assertEquals(8, observation.evidence().get(0).line());
    }

    @Test
    void claudesOwnChevronPromptIsNotAShellPrompt() {
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + RULE + "\n❯ \n" + RULE + "\n"));
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + RULE + "\n> \n" + RULE + "\n"));
      assertFalse(classify(AgentKind.UNKNOWN, "some output\n❯ ").state() == AgentState.CRASHED);
      assertFalse(classify(AgentKind.UNKNOWN, "some output\n> ").state() == AgentState.CRASHED);
    }

    @Test
    void shellPromptAboveTheAgentBoxIsNotACrash() {
      String screen = "dev@buildbox:~/projects/billing$ claude\n\n⏺ Hello.\n\n" + box("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void shellPromptsBelowTheFrameAreCrashes() {
      for (String prompt : new String[] {"bash-5.2$ ", "dev@host:~/p$ ", "% ", "$ ", "[dev@host billing]$ ", "root@box:/# "}) {
        assertEquals(AgentState.CRASHED, state("⏺ Done.\n\n" + box("") + "\n" + prompt + "\n"), prompt);
      }
    }

    @Test
    void aShellCommandLineIsNotABareShellPrompt() {
      // while the shell is launching the agent the command is still on the prompt line
      assertEquals(AgentState.UNKNOWN, state("dev@buildbox:~/projects/billing$ claude\n"));
    }

    @Test
    void shellInTheForegroundAfterTheAgentUiIsACrash() {
      String screen = "⏺ Done.\n\n" + box("") + "\n➜  billing git:(main)\n";
      Observation observation =
          DefaultDetection.CLASSIFIER.classify(screen, new PaneFacts(AgentKind.CLAUDE, false, "zsh"), DefaultDetection.NOW);
      assertEquals(AgentState.CRASHED, observation.state());
      assertEquals("shell-foreground", observation.evidence().get(0).rule());
    }

    @Test
    void shellInTheForegroundBeforeAnyAgentUiIsNotACrash() {
      Observation observation =
          DefaultDetection.CLASSIFIER.classify(
              "➜  billing git:(main) claude\n", new PaneFacts(AgentKind.CLAUDE, false, "-zsh"), DefaultDetection.NOW);
      assertEquals(AgentState.UNKNOWN, observation.state());
    }

    @Test
    void agentInTheForegroundWithItsFrameAtTheBottomIsNotACrash() {
      Observation observation =
          DefaultDetection.CLASSIFIER.classify(
              "⏺ Done.\n\n" + box(""), new PaneFacts(AgentKind.CLAUDE, false, "bash"), DefaultDetection.NOW);
      assertEquals(AgentState.IDLE, observation.state());
    }
  }

  @Nested
  class Working {

    @Test
    void busyMarkerQuotedAsToolOutputIsNotWork() {
      String screen =
          """
          ⏺ Bash(tmux capture-pane -p -t agent-2)
            ⎿  ✻ Pondering… (38s · ↓ 1.2k tokens · esc to interrupt)
          """
              + box("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void busyMarkerBeforeTheLastUserMessageIsOld() {
      String screen =
          """
          ✻ Pondering… (38s · ↓ 1.2k tokens · esc to interrupt)
          > thanks, now stop
          """
              + rules("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void busyMarkerAboveTheLiveRegionIsScrollback() {
      StringBuilder screen = new StringBuilder("✻ Pondering… (38s · esc to interrupt)\n");
      for (int i = 0; i < 25; i++) {
        screen.append("  line ").append(i).append(" of a long answer\n");
      }
      assertEquals(AgentState.IDLE, state(screen + box("")));
      assertEquals(AgentState.WORKING, state("✻ Pondering… (38s · esc to interrupt)\n\n" + box("")));
    }

    @Test
    void rulesAroundThePromptMeanNothingAlone() {
      assertEquals(AgentState.WORKING, state("⏺ Bash(ls)\n\n✶ Clauding… (2s)\n\n" + rules("")));
    }

    @Test
    void tokenCounterAloneIsWork() {
      assertEquals(AgentState.WORKING, state("⏺ Read(a.ts)\n\n(12s · ↓ 340 tokens)\n\n" + rules("")));
    }

    @Test
    void gerundWithoutEllipsisInProseIsNotASpinner() {
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n· Refactoring the parser was the hard part\n\n" + rules("")));
    }

    @Test
    void busyWordsTypedIntoThePromptAreUnsubmittedText() {
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + rules("what does esc to interrupt do?")));
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + box("Compacting conversation… is it safe?")));
    }

    @Test
    void subAgentHintIsWork() {
      String screen = "⏺ Task(find callers)\n  ⎿  Search(pattern: \"x\")\n     ctrl+b to run in background\n\n" + rules("");
      assertEquals(AgentState.WORKING, state(screen));
    }
  }

  @Nested
  class Waiting {

    @Test
    void dialogQuestionInTheAnswerAboveALivePromptIsNotADialog() {
      String screen = "⏺ The migration is ready. Do you want to proceed? Reply yes to run it.\n\n" + box("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void answeredDialogAboveTheLivePromptIsOld() {
      String screen =
          """
          ⏺ Bash(rm -rf build/)
            ⎿  Do you want to proceed?
               ❯ 1. Yes
            ⎿  (No content)
          """
              + rules("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void dialogWordsTypedIntoThePromptAreUnsubmittedText() {
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + box("Do you want to proceed? yes")));
    }

    @Test
    void dialogBeatsASpinner() {
      String screen =
          "✻ Pondering… (3s · esc to interrupt)\n"
              + BOX_TOP
              + "\n│ Do you want to proceed?  │\n│ ❯ 1. Yes                 │\n"
              + BOX_BOTTOM
              + "\n";
      assertEquals(AgentState.WAITING, state(screen));
    }
  }

  @Nested
  class LimitsAndErrors {

    @Test
    void rateLimitQuotedInOldTranscriptWithALiveSpinnerIsWork() {
      String screen =
          """
          ⏺ Bash(grep -r "limit" logs/)
            ⎿  Claude usage limit reached. Your limit will reset at 3pm (UTC).

          ✻ Reading… (4s · ↓ 80 tokens · esc to interrupt)
          """
              + box("");
      Observation observation = classify(screen);
      assertEquals(AgentState.WORKING, observation.state());
      assertEquals(Optional.empty(), observation.resetAt());
    }

    @Test
    void rateLimitBannerBeforeTheLastUserMessageIsOld() {
      String screen =
          """
            ⎿  You've hit your limit · resets 12:10pm (Europe/Paris)
          > continue
          ⏺ Picking up where I left off: the importer now streams rows.
          """
              + rules("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void rateLimitBannerAboveAnEmptyPromptIsALimit() {
      Observation observation = classify("⏺ Bash(x)\n  ⎿  5-hour limit reached ∙ resets 3pm\n\n" + rules(""));
      assertEquals(AgentState.RATE_LIMITED, observation.state());
      // no zone: now's zone (New York), 15:00 EDT today
      assertEquals(Optional.of(Instant.parse("2025-06-10T19:00:00Z")), observation.resetAt());
    }

    @Test
    void approachingTheLimitIsNotALimit() {
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + rules("") + "  Approaching usage limit · resets at 3pm\n"));
    }

    @Test
    void rateLimitBeatsTypedText() {
      assertEquals(AgentState.RATE_LIMITED, state("⏺ X\n  ⎿  Claude usage limit reached.\n\n" + rules("continue")));
    }

    @Test
    void npmErrorsInTheTranscriptAreNotAgentErrors() {
      String screen =
          """
          ⏺ Bash(npm install)
            ⎿  npm ERR! code ERESOLVE
               npm ERR! ERESOLVE unable to resolve dependency tree
               Error: Cannot find module 'left-pad'

          ⏺ The install failed on a peer dependency; I pinned react to 18.3 and it installs now.
          """
              + box("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void apiErrorFollowedByANewerAgentEntryIsOld() {
      String screen =
          """
          ⏺ Read(src/index.ts)
            ⎿  API Error: 529 {"type":"error","error":{"type":"overloaded_error"}}

          ⏺ Retried; the file is read and the fix is in.
          """
              + box("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void apiErrorMentionedInTheAgentsProseIsNotAnError() {
      String screen = "⏺ The handler used to return API Error: 500 for empty bodies;\n  it returns 400 now.\n\n" + box("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void apiErrorRetryUnderASpinnerIsWork() {
      String screen =
          "⏺ Read(a.ts)\n  ⎿  API Error (529 overloaded) · Retrying in 5 seconds… (attempt 2/10)\n\n"
              + "✻ Reading… (20s · esc to interrupt)\n\n"
              + rules("");
      assertEquals(AgentState.WORKING, state(screen));
    }
  }

  @Nested
  class Prompt {

    @Test
    void placeholderInAnEmptyPromptIsNotTypedText() {
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + rules("Try \"fix lint errors\"")));
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + box("Try \"how does <filepath> work?\"")));
    }

    @Test
    void textThatMerelyStartsWithTryIsTypedText() {
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + rules("Try harder on the flaky test")));
    }

    @Test
    void echoedUserMessageIsNotTheLivePrompt() {
      // no input frame on screen: the "> ..." line is the transcript's echo of a sent message
      String screen =
          """
          > fix the flaky retry test
          ⏺ Looking at the test first.
            It fails because the clock is not mocked,
            so the backoff waits for real seconds
            and the suite times out on slow machines.
            I will inject a fake clock into the retrier
            and assert on the recorded delays instead.
          """;
      assertEquals(AgentState.UNKNOWN, state(screen));
    }

    @Test
    void multiLineTypedTextIsUnsubmitted() {
      String screen = "⏺ Done.\n\n" + RULE + "\n❯ first line of a draft\n  second line\n" + RULE + "\n";
      assertEquals(AgentState.UNSUBMITTED, state(screen));
    }

    @Test
    void nonBreakingSpaceAndEscapesAreNormalised() {
      String screen = "⏺ Done.\n\n" + RULE + "\n\u001b[1m❯\u001b[0m\u00a0\n" + RULE + "\r\n";
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void blankOrUnrecognisableScreensAreUnknown() {
      assertEquals(AgentState.UNKNOWN, state(""));
      assertEquals(AgentState.UNKNOWN, state("\n\n   \n"));
      assertEquals(AgentState.UNKNOWN, state("top - 10:00:01 up 3 days,  2 users,  load average: 0.1\n"));
    }
  }

  @Nested
  class Starting {

    @Test
    void welcomeBannerStillOnScreenAfterTheFirstTurnIsNotStarting() {
      String screen =
          """
           ▐▛███▜▌   Claude Code v2.0.14
          ▝▜█████▛▘  Sonnet 4.5 · Claude Max
            ▘▘ ▝▝    /home/dev/projects/billing

          > add a health check
          ⏺ Added GET /healthz.
          """
              + rules("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void typedTextOnTheWelcomeScreenIsUnsubmitted() {
      String screen = " ▐▛███▜▌   Claude Code v2.0.14\n▝▜█████▛▘  Sonnet 4.5 · Claude Max\n\n" + rules("hello");
      assertEquals(AgentState.UNSUBMITTED, state(screen));
    }

    @Test
    void versionWithoutTheProductNameIsNotAWelcome() {
      assertEquals(AgentState.IDLE, state("⏺ Bumped to v2.0.14.\n\n" + rules("")));
    }
  }

  @Nested
  class OtherKinds {

    @Test
    void codexApprovalCursorIsNotTheComposer() {
      String screen =
          """
            Would you like to run the following command?

            $ cargo test

          › 1. Yes, proceed
            2. No, and tell Codex what to do differently  esc
          """;
      assertEquals(AgentState.WAITING, classify(AgentKind.CODEX, screen).state());
    }

    @Test
    void codexTypedTextIsUnsubmitted() {
      String screen = "• Done.\n\n› add a changelog entry\n\n  90% context left · ? for shortcuts\n";
      assertEquals(AgentState.UNSUBMITTED, classify(AgentKind.CODEX, screen).state());
    }

    @Test
    void aiderEchoOfASentMessageIsNotTheLivePrompt() {
      String screen = "> refactor the parser\n\nI'll split parse_config in two.\n";
      assertEquals(AgentState.UNKNOWN, classify(AgentKind.AIDER, screen).state());
    }

    @Test
    void answeredAiderQuestionAboveTheNextPromptIsOld() {
      String screen = "Add src/cli.py to the chat? (Y)es/(N)o/(D)on't ask again [Yes]: y\nApplied edit to src/cli.py\n> ";
      assertEquals(AgentState.IDLE, classify(AgentKind.AIDER, screen).state());
    }

    @Test
    void geminiPlaceholderIsNotTypedTextButRealTextIs() {
      String frame = "╭──────╮\n│ >   %s │\n╰──────╯\n~/p (main*)   no sandbox (see /docs)   gemini-2.5-pro (99%% context left)\n";
      assertEquals(
          AgentState.IDLE,
          classify(AgentKind.GEMINI, "✦ Done.\n\n" + frame.formatted("Type your message or @path/to/file")).state());
      assertEquals(AgentState.UNSUBMITTED, classify(AgentKind.GEMINI, "✦ Done.\n\n" + frame.formatted("ship it")).state());
    }

    @Test
    void unknownKindUsesTheDefaultMarkers() {
      assertEquals(AgentState.WORKING, classify(AgentKind.UNKNOWN, "thinking (esc to interrupt)\n> ").state());
      assertEquals(AgentState.IDLE, classify(AgentKind.UNKNOWN, "done\n> ").state());
    }
  }

  @Test
  void evidenceNamesTheLineAndTheConfiguredMarker() {
    Observation observation = classify("⏺ Bash(make)\n\n✻ Building… (3s · esc to interrupt)\n\n" + box(""));
    Evidence evidence = observation.evidence().get(0);
    assertEquals("working", evidence.rule());
    assertEquals("esc to interrupt", evidence.marker());
    assertEquals(3, evidence.line());
    assertEquals("✻ Building… (3s · esc to interrupt)", evidence.text());
    assertTrue(observation.resetAt().isEmpty());
  }
}
