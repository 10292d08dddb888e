// A reader that stops early (`gaitlab trials --json | head`) closes the pipe; what is left to print has nowhere to
// go. Like git and coreutils, end at once and quietly with 141 (128 + SIGPIPE) instead of an unhandled 'error'
// event's stack trace. Any other stream error is still thrown.

let installed = false;

export function endQuietlyOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(141);
    });
  }
}
