#!/usr/bin/env python3
"""Drive kmvault on a pseudo-terminal, answering its prompts.

usage: pty_drive.py TRANSCRIPT -- COMMAND ARGS...   (steps on stdin)
Each stdin line is "PROMPT-SUBSTRING<TAB>ANSWER".  An answer is typed only
once its prompt has appeared (the program flushes typeahead when it turns
echo off, so typing ahead would be lost).  The answer @LAST@ is the last
group of the recovery key shown so far, in lower case.  What the terminal
showed goes to TRANSCRIPT; the exit code is the command's.  No sleeps: it
waits on the terminal's output.
"""
import os
import pty
import re
import select
import sys


def main():
    transcript = sys.argv[1]
    cmd = sys.argv[sys.argv.index('--') + 1:]
    steps = [l.rstrip('\n').split('\t', 1) for l in sys.stdin if l.strip()]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen, pos = b'', 0
    while True:
        ready, _, _ = select.select([fd], [], [], 300)
        if not ready:
            break                       # five silent minutes: give up
        try:
            data = os.read(fd, 4096)
        except OSError:
            break                       # EIO: the command has ended
        if not data:
            break
        seen += data
        while steps and steps[0][0].encode() in seen[pos:]:
            prompt = steps[0][0].encode()
            pos = seen.index(prompt, pos) + len(prompt)
            answer = steps.pop(0)[1]
            if answer == '@LAST@':
                key = re.search(rb'[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4,}', seen)
                answer = key.group(0).decode().split('-')[-1].lower()
            os.write(fd, answer.encode() + b'\r')
    _, status = os.waitpid(pid, 0)
    with open(transcript, 'wb') as f:
        f.write(seen)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
