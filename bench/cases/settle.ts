/**
 * Preloaded into the language server for the memory benchmark only
 * (`node --expose-gc --require settle.js dist/server/server.js --stdio`): on SIGUSR2 it runs
 * a full garbage collection twice and writes `SETTLED {memoryUsage}` on stderr, which the
 * server does not use for the protocol. Nothing else in the server changes.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  setTimeout(() => {
    gc?.();
    process.stderr.write(`SETTLED ${JSON.stringify(process.memoryUsage())}\n`);
  }, 100);
});
