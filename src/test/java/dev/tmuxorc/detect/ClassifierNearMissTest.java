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
    void commonShellPromptsAfterTheAgentFrameAreCrashes() {
      String[] prompts = {
        "dev@host:~/billing$ ", "buildbox% ", "buildbox# ", "dev@host ~/billing> ", "➜  billing git:(main) ✗ ",
        "➜  billing ", "root@host:/srv/billing# ", "~/billing on  main via ☕ v17\n❯ ", "❯ ", "~/billing main ❯ ",
        " dev@host \ue0b0 ~/billing \ue0b0 ", "╭─ ~/billing on main ─╮\n╰─ ", "┌──(dev㉿kali)-[~/billing]\n└─$ "
      };
      for (String prompt : prompts) {
        assertEquals(AgentState.CRASHED, state("⏺ Done.\n\n" + rules("") + "\n" + prompt + "\n"), prompt);
        assertEquals(AgentState.CRASHED, state("⏺ Done.\n\n" + box("") + "\n" + prompt + "\n"), prompt);
      }
    }

    @Test
    void aShellPromptAloneOnTheScreenOfAnAgentPaneIsACrash() {
      for (String prompt : new String[] {"❯", "$", "%", "dev@host:~/billing$", "➜  billing git:(main)"}) {
        assertEquals(AgentState.CRASHED, state("\n\n" + prompt + " \n"), prompt);
      }
    }

    @Test
    void claudesBorderlessPromptBetweenRulesIsNotStarship() {
      // the same "❯" as starship, but between two rules: with or without a footer below
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + RULE + "\n❯ \n" + RULE + "\n"));
      assertEquals(AgentState.IDLE, state("~/billing on  main via ☕ v17\n⏺ Done.\n\n" + RULE + "\n❯ \n" + RULE + "\n"));
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + rules("")));
    }

    @Test
    void aBareChevronUnderAnInfoLineIsOnlyAShellForAKindWhosePromptIsFramed() {
      String starship = "~/billing on  main via ☕ v17\n❯ \n";
      assertEquals(AgentState.CRASHED, state(starship));
      assertFalse(classify(AgentKind.UNKNOWN, starship).state() == AgentState.CRASHED);
    }

    @Test
    void aStarshipCommandLineIsNotABarePrompt() {
      // while starship launches the agent the command is still on the prompt line
      assertEquals(AgentState.UNKNOWN, state("~/billing on  main via ☕ v17\n❯ claude\n"));
    }

    @Test
    void shellPromptTextInsideTheAgentUiIsNotACrash() {
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + rules("why does my prompt show dev@host:~$")));
      assertEquals(AgentState.IDLE, state("⏺ Your prompt ends in ❯ like this:\n  ~/billing main ❯\n\n" + rules("")));
      // a status line that names the user, host and directory, indented under the frame
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + rules("") + "  dev@host ~/billing (main) · Opus 4.1 %\n"));
    }

    @Test
    void agentPromptsAndOutputThatEndLikeShellPromptsAreNotCrashes() {
      // aider's mode prompt ends in ">" like fish's; a progress line ends in "%" like zsh's
      assertEquals(AgentState.IDLE, classify(AgentKind.AIDER, "Applied edit.\narchitect> \n").state());
      assertEquals(AgentState.IDLE, classify(AgentKind.AIDER, "Applied edit.\n> \n").state());
      assertFalse(classify(AgentKind.UNKNOWN, "downloading model\n100%\n").state() == AgentState.CRASHED);
      assertFalse(classify(AgentKind.UNKNOWN, "ratio: 3 of 4 = 75%\n").state() == AgentState.CRASHED);
      assertEquals(AgentState.IDLE, classify(AgentKind.CODEX, "• Done.\n\n›\n\n  95% context left · ? for shortcuts\n").state());
    }

    @Test
    void aStatusLineLikeAShellPromptRightUnderTheFrameIsAFooter() {
      for (String status : new String[] {"~/billing main ❯", "dev@host:~/billing$", "buildbox%"}) {
        assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + rules("") + status + "\n"), status);
        assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + rules("ship it") + status + "\n"), status);
        // after a blank line it is the shell's
        assertEquals(AgentState.CRASHED, state("⏺ Done.\n\n" + rules("") + "\n" + status + "\n"), status);
      }
    }

    @Test
    void powerlevel10kCornerIsNotClaudesBoxBottom() {
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + box("")));
      assertEquals(AgentState.CRASHED, state("⏺ Done.\n\n" + box("") + "\n╭─ ~/billing\n╰─\n"));
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
    void aDialogQuestionAboveAListCursorInTheFirstColumnIsLive() {
      // no key hint: the question marker decides, and the "❯ 1." cursor is no echoed user message
      String screen = "⏺ Cleaning up.\n\n" + RULE + "\n Bash command\n   rm -rf build/\n\nDo you want to proceed?\n❯ 1. Yes\n  2. No\n";
      assertEquals(AgentState.WAITING, state(screen));
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
  class SelectionLists {

    private static final String FOOTER = "Enter to select · ↑/↓ to navigate · Esc to cancel";

    /** A picker whose wording no marker knows: only its structure can make it waiting. */
    private static String picker(String cursor, String footer) {
      return "⏺ One question first.\n\n" + RULE + "\n Which queue should the worker read?\n\n"
          + cursor + " 1. jobs-high\n    Latency-sensitive jobs\n  2. jobs-low\n    Batch jobs\n  3. Type something.\n\n"
          + footer + "\n";
    }

    @Test
    void anyNumberedListWithOneCursorAndAKeyHintIsWaiting() {
      for (String cursor : new String[] {"❯", ">", "›", "▶", "●"}) {
        Observation observation = classify(picker(cursor, FOOTER));
        assertEquals(AgentState.WAITING, observation.state(), cursor);
        assertEquals("selection", observation.evidence().get(0).rule());
        assertEquals(cursor + " 1. jobs-high", observation.evidence().get(0).text());
      }
    }

    @Test
    void eachKeyHintAloneIsEnough() {
      for (String footer : new String[] {"Enter to select", "Enter to confirm · Esc to exit", "↑/↓ to navigate",
          "Esc to cancel · Tab to amend", "Enter to confirm · Esc to reject", "(esc)"}) {
        assertEquals(AgentState.WAITING, state(picker("❯", footer)), footer);
      }
    }

    @Test
    void aNumberedListWithoutACursorIsNotASelection() {
      assertEquals(AgentState.UNKNOWN, state(picker(" ", FOOTER)));
    }

    @Test
    void aNumberedListWithACursorButNoKeyHintIsNotASelection() {
      assertEquals(AgentState.UNKNOWN, state(picker("❯", "Pick the one you like best.")));
    }

    @Test
    void twoCursorsAreNotOneSelection() {
      String screen = picker("❯", FOOTER).replace("  2. jobs-low", "❯ 2. jobs-low");
      assertEquals(AgentState.UNKNOWN, state(screen));
    }

    @Test
    void aSingleOptionOrAListNotStartingAtOneIsNotASelection() {
      assertEquals(AgentState.UNKNOWN, state(RULE + "\n❯ 1. jobs-high\n\n" + FOOTER + "\n"));
      assertEquals(AgentState.UNKNOWN, state(RULE + "\n❯ 3. jobs-high\n  4. jobs-low\n\n" + FOOTER + "\n"));
    }

    @Test
    void aPickerAboveTheLivePromptIsOld() {
      String answered = "⏺ Which queue?\n  ❯ 1. jobs-high\n    2. jobs-low\n  " + FOOTER + "\n\n⏺ Using jobs-high.\n\n";
      assertEquals(AgentState.IDLE, state(answered + rules("")));
      // an agent quoting a picker in its answer, right above the prompt
      assertEquals(AgentState.IDLE, state("⏺ The installer asks:\n  > 1. Install\n    2. Skip\n  " + FOOTER + "\n\n" + box("")));
    }

    @Test
    void aNumberedListTypedIntoThePromptIsUnsubmitted() {
      String typed = RULE + "\n❯ 1. fix the flaky test\n  2. bump the version\n" + RULE + "\n  ⏵⏵ accept edits on (shift+tab to cycle)\n";
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + typed));
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + box("1. fix the flaky test")));
    }

    @Test
    void aNumberedListInTheTranscriptAboveAnEmptyPromptIsIdle() {
      String screen = "⏺ Three causes:\n\n  1. the port\n  2. the sleep\n  3. the flush\n\n" + rules("");
      assertEquals(AgentState.IDLE, state(screen));
    }

    @Test
    void aPanelBelowTheFooterDoesNotHideThePicker() {
      String screen = picker("❯", FOOTER) + "\n 6 tasks (4 done, 2 open)\n ◼ 5. Write the migration\n ◻ 6. Wire it\n";
      assertEquals(AgentState.WAITING, state(screen));
    }

    @Test
    void aPickerBeatsASpinnerAndItsEscToCancelIsNoBusyMarker() {
      assertEquals(AgentState.WAITING, state("✻ Pondering… (3s · esc to interrupt)\n\n" + picker("❯", FOOTER)));
      // for an unknown agent "esc to cancel" is a busy marker; with options and a cursor above it, a picker
      assertEquals(AgentState.WAITING, classify(AgentKind.UNKNOWN, "> 1. Yes\n  2. No\n\n" + FOOTER + "\n").state());
      assertEquals(AgentState.WORKING, classify(AgentKind.UNKNOWN, "thinking (esc to cancel)\n> ").state());
    }

    @Test
    void anUnnumberedListNeedsAnAlignedSiblingUnderItsCursor() {
      String settings = RULE + "\n Settings\n\n ❯ Auto-compact        true\n   Show tips           true\n\n ↑/↓ to navigate · Esc to close\n";
      assertEquals(AgentState.WAITING, state("⏺ Done.\n\n" + settings));
      String lone = RULE + "\n Settings\n\n ❯ Auto-compact        true\n\n ↑/↓ to navigate · Esc to close\n";
      assertEquals(AgentState.UNKNOWN, state("⏺ Done.\n\n" + lone));
    }

    @Test
    void anAgentEntryBetweenOptionsAndFooterSplitsThem() {
      String screen = RULE + "\n❯ 1. jobs-high\n  2. jobs-low\n⏺ Picked jobs-high (esc)\n";
      assertEquals(AgentState.UNKNOWN, state(screen));
    }
  }

  @Nested
  class LongPromptsAndFooters {

    private static final String[] FOOTERS = {
      "  ⏵⏵ bypass permissions on (shift+tab to cycle)",
      "  Bypassing Permissions",
      "  ? for shortcuts                          Context left until auto-compact: 16%",
      "  ✗ Auto-update failed · Try claude doctor or npm i -g @anthropic-ai/claude-code",
      "  ⎇ main* · ~/billing · Opus 4.1 · $0.42\n  ⏵⏵ accept edits on (shift+tab to cycle)",
      "  [Opus 4.1] 📁 billing | 🌿 feature/retry | ctx 41% | $1.07",
    };

    @Test
    void footerAndStatusLinesNeverChangeTheVerdict() {
      for (String footer : FOOTERS) {
        String rulesEmpty = RULE + "\n❯ \n" + RULE + "\n" + footer + "\n";
        String rulesTyped = RULE + "\n❯ ship it\n" + RULE + "\n" + footer + "\n";
        String boxEmpty = BOX_TOP + "\n│ > " + " ".repeat(75) + "│\n" + BOX_BOTTOM + "\n" + footer + "\n";
        assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + rulesEmpty), footer);
        assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + boxEmpty), footer);
        assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + rulesTyped), footer);
        assertEquals(AgentState.WORKING, state("⏺ Bash(make)\n\n✻ Building… (3s · esc to interrupt)\n\n" + rulesEmpty), footer);
      }
    }

    @Test
    void typedTextOfAnyLengthIsOnePrompt() {
      for (int lines : new int[] {2, 7, 15, 40}) {
        StringBuilder text = new StringBuilder("❯ first line of the paste\n");
        for (int i = 2; i <= lines; i++) {
          text.append(i % 5 == 0 ? "\n" : "  line " + i + " of the paste\n");
        }
        String screen = "⏺ Ready.\n\n" + RULE + "\n" + text + RULE + "\n  ⏵⏵ bypass permissions on (shift+tab to cycle)\n";
        Observation observation = classify(screen);
        assertEquals(AgentState.UNSUBMITTED, observation.state(), lines + " lines");
        assertEquals(4, observation.evidence().get(0).line());
      }
    }

    @Test
    void busyAndDialogWordsInALongTypedTextAreInput() {
      String screen = "⏺ Done.\n\n" + RULE + "\n❯ notes:\n" + "  filler\n".repeat(8)
          + "  ✻ Pondering… (3s · esc to interrupt)\n  Do you want to proceed?\n  ❯ 1. Yes\n    2. No\n  Esc to cancel\n"
          + RULE + "\n";
      assertEquals(AgentState.UNSUBMITTED, state(screen));
    }

    @Test
    void aPaddingLineBetweenTheFrameAndThePromptKeepsThePrompt() {
      assertEquals(AgentState.IDLE, state("⏺ Done.\n\n" + RULE + "\n\n❯ \n" + RULE + "\n"));
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + RULE + "\n\n❯ ship it\n\n" + RULE + "\n"));
    }

    @Test
    void textAfterALeadingNewlineIsTyped() {
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Done.\n\n" + RULE + "\n❯ \n  second line\n" + RULE + "\n"));
    }

    @Test
    void aTypedTextTallerThanTheScreenIsStillAPrompt() {
      String screen = "  line 40 of the draft\n".repeat(30) + RULE + "\n  ⏵⏵ accept edits on (shift+tab to cycle)\n";
      assertEquals(AgentState.UNSUBMITTED, state(screen));
    }

    @Test
    void aLoneRuleUnderTheTranscriptIsNotAScrolledPrompt() {
      String screen = "⏺ Done. The report is below.\n  line one\n  line two\n" + RULE + "\n  ? for shortcuts\n";
      assertEquals(AgentState.UNKNOWN, state(screen));
    }

    @Test
    void aDialogBoxIsNotAnInputFrame() {
      String screen = BOX_TOP + "\n│ Pick a theme                                      │\n" + BOX_BOTTOM + "\n";
      assertEquals(AgentState.UNKNOWN, state(screen));
    }

    @Test
    void pastedTextPlaceholderAloneIsTyped() {
      assertEquals(AgentState.UNSUBMITTED, state("⏺ Send the log.\n\n" + rules("[Pasted text #1 +22 lines]")));
      assertEquals(AgentState.IDLE, state("⏺ I read [Pasted text #1 +22 lines]: the first error is on line 3.\n\n" + rules("")));
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
    void codexApprovalWithoutKnownWordsIsASelection() {
      String screen = "• Pick a mode.\n\n› 1. Read Only\n  2. Auto\n  3. Full Access\n\n  Press enter to select · esc to cancel\n";
      assertEquals(AgentState.WAITING, classify(AgentKind.CODEX, screen).state());
      // the same list once answered, above the composer
      String answered = "• Pick a mode.\n  1. Read Only\n  2. Auto\n\n• Using Auto.\n\n› \n\n  95% context left · ? for shortcuts\n";
      assertEquals(AgentState.IDLE, classify(AgentKind.CODEX, answered).state());
    }

    @Test
    void codexMultiLineComposerIsUnsubmitted() {
      String screen = "• Done.\n\n› add a test\n  and a changelog entry\n\n  90% context left · ? for shortcuts\n";
      assertEquals(AgentState.UNSUBMITTED, classify(AgentKind.CODEX, screen).state());
    }

    @Test
    void oldCodexGutterIsNotACursorAndItsDialogIsNotTypedText() {
      String modal = "• Run the tests?\n\n▌Allow command?\n▌\n▌ $ cargo test\n▌\n▌ Yes   Always   No\n";
      assertEquals(AgentState.WAITING, classify(AgentKind.CODEX, modal).state());
      String typed = "• Done.\n\n▌ first line\n▌ second line\n\n  ⏎ send\n";
      assertEquals(AgentState.UNSUBMITTED, classify(AgentKind.CODEX, typed).state());
    }

    @Test
    void geminiSelectionWithoutKnownWordsIsWaitingAndItsTypedBoxIsUnsubmitted() {
      String frame = "╭──────╮\n%s╰──────╯\n~/p (main*)   no sandbox (see /docs)   gemini-2.5-pro (99%% context left)\n";
      String picker = "│ ?  Choose a backend │\n│ ● 1. pino           │\n│   2. winston (esc)  │\n";
      assertEquals(AgentState.WAITING, classify(AgentKind.GEMINI, "✦ One question.\n\n" + frame.formatted(picker)).state());
      String typed = "│ >   first line  │\n│     second line │\n│     third line  │\n│     fourth line │\n│     fifth line  │\n";
      assertEquals(AgentState.UNSUBMITTED, classify(AgentKind.GEMINI, "✦ Done.\n\n" + frame.formatted(typed)).state());
      assertEquals(AgentState.CRASHED, classify(AgentKind.GEMINI, "✦ Done.\n\n" + frame.formatted("│ >   │\n") + "\n❯ \n").state());
    }

    @Test
    void aiderYesNoQuestionIsWaitingButItsEchoInTheAnswerIsNot() {
      assertEquals(AgentState.WAITING, classify(AgentKind.AIDER, "pytest -q\n\nRun shell command? (Y)es/(N)o [Yes]:\n").state());
      assertEquals(AgentState.IDLE, classify(AgentKind.AIDER, "Answer (Y)es/(N)o to aider's questions.\n> \n").state());
      assertEquals(AgentState.UNSUBMITTED, classify(AgentKind.AIDER, "Applied edit.\narchitect> now the tests\n").state());
      assertEquals(AgentState.CRASHED, classify(AgentKind.AIDER, "Applied edit.\n> \n\n^C again to exit\n➜  billing git:(main) ✗\n").state());
    }

    @Test
    void linesSharingThePromptGlyphWithoutADialogLeaveThePromptAlone() {
      assertEquals(AgentState.IDLE, classify(AgentKind.UNKNOWN, "diff:\n> old line\n> ").state());
      assertEquals(AgentState.UNSUBMITTED, classify(AgentKind.CODEX, "• Done.\n\n▌ first line\n▌ second line\n").state());
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
