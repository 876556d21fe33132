#!/usr/bin/env python3
"""A Claude-like prompt for tests: draws a transcript and a framed input box, takes keys (literal typing,
bracketed pastes, Backspace, Enter) and appends every submitted text to LOG as one JSON line.

usage: fake-prompt.py LOG [--ignore-enter N] [--deaf-file F] [--busy-file F] [--say LINE]...
  --ignore-enter N  the first N Enter presses are ignored, as a busy UI may
  --deaf-file F     Enter is ignored while F exists (a test decides when a typed text may be submitted)
  --busy-file F     while F exists a spinner line shows above the prompt: the agent is working
  --say LINE        a line of the transcript above the prompt (repeatable), e.g. a usage-limit message
"""
import argparse
import json
import os
import select
import sys
import termios
import tty

WIDTH = 78
parser = argparse.ArgumentParser()
parser.add_argument("log")
parser.add_argument("--ignore-enter", type=int, default=0)
parser.add_argument("--deaf-file")
parser.add_argument("--busy-file")
parser.add_argument("--say", action="append", default=[])
args = parser.parse_args()
log_path = args.log
ignore_enter = args.ignore_enter
transcript = ["⏺ Ready when you are."] + args.say
text = ""


def exists(path):
    return path is not None and os.path.exists(path)


def draw():
    out = ["\x1b[2J\x1b[H"]
    for line in transcript[-20:]:
        out.append(line[:WIDTH + 2] + "\r\n")
    if exists(args.busy_file):
        out.append("\r\n✻ Working… (esc to interrupt)\r\n")
    out.append("\r\n╭" + "─" * WIDTH + "╮\r\n")
    lines = []
    for i, part in enumerate(text.split("\n")):
        while True:
            lines.append(part[:WIDTH - 4])
            part = part[WIDTH - 4:]
            if not part:
                break
    for i, line in enumerate(lines):
        lead = "> " if i == 0 else "  "
        out.append("│ " + lead + line.ljust(WIDTH - 4) + " │\r\n")
    out.append("╰" + "─" * WIDTH + "╯\r\n  ? for shortcuts")
    os.write(1, "".join(out).encode())


def submit():
    global text
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(json.dumps({"text": text}) + "\n")
    transcript.append("> " + text.replace("\n", " ⏎ "))
    transcript.append("⏺ Noted.")
    text = ""


def main():
    global text, ignore_enter
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    os.write(1, b"\x1b[?2004h")  # bracketed paste on, as Claude Code asks for it
    pasting = False
    pending = b""
    try:
        draw()
        busy = exists(args.busy_file)
        while True:
            if not select.select([fd], [], [], 0.1)[0]:
                if exists(args.busy_file) != busy:
                    busy = not busy
                    draw()
                continue
            data = os.read(fd, 4096)
            if not data:
                break
            pending += data
            while pending:
                if pending.startswith(b"\x1b[200~"):
                    pasting, pending = True, pending[6:]
                    continue
                if pending.startswith(b"\x1b[201~"):
                    pasting, pending = False, pending[6:]
                    continue
                if pending.startswith(b"\x1b") and len(pending) < 6:
                    break  # the rest of an escape sequence is still on its way
                char = pending[:1]
                # a whole UTF-8 character
                size = 1 if char[0] < 0x80 else 2 if char[0] < 0xE0 else 3 if char[0] < 0xF0 else 4
                if len(pending) < size:
                    break
                char, pending = pending[:size], pending[size:]
                if char == b"\x1b":
                    continue
                if char in (b"\r", b"\n"):
                    if pasting:
                        text += "\n"
                    elif ignore_enter > 0:
                        ignore_enter -= 1
                    elif exists(args.deaf_file):
                        pass
                    elif text:
                        submit()
                elif char == b"\x7f":
                    text = text[:-1]
                elif char == b"\x03":
                    return
                elif char[0] >= 0x20:
                    text += char.decode("utf-8", "replace")
            draw()
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


main()
