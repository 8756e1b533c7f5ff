/**
 * Mocha runs without `exit: true`: the process ends when the tests have closed everything they
 * opened. A leaked server, socket, child process or timer would keep it alive; this root hook
 * turns that into a failure with the culprits named, instead of a silent hang (or of `exit: true`
 * hiding it).
 */
const GRACE_MS = 30_000;

export const mochaHooks = {
  afterAll() {
    setTimeout(() => {
      const handles = (process as unknown as { _getActiveHandles(): Array<{ constructor?: { name?: string }; address?: () => unknown; spawnfile?: string }> })._getActiveHandles();
      const described = handles.map((h) => {
        const name = h.constructor?.name ?? 'handle';
        if (name === 'Server') return `${name} listening on ${JSON.stringify(h.address?.())}`;
        if (name === 'ChildProcess') return `${name} ${h.spawnfile ?? ''}`;
        return name;
      });
      console.error(`\nleak check: the process is still alive ${GRACE_MS / 1000} s after the last test; open: ${described.join(', ') || process.getActiveResourcesInfo().join(', ')}`);
      // Mocha's own 'exit' listener resets the code to the failure count: ours runs after it.
      process.on('exit', () => {
        process.exitCode = 1;
      });
      process.exit(1);
    }, GRACE_MS).unref();
  },
};
