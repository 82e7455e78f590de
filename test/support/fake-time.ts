/**
 * Fake time for code that takes `now` and `sleep`: sleepers wake in order of their wake-up time,
 * and time jumps straight to the next one once everything else has settled.
 */
export class FakeTime {
  private t = 0;
  private readonly timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve }));

  /** Runs `work` to completion, advancing fake time whenever it waits. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => (settled = true));
    for (;;) {
      // Let every promise chain that can move, move (microtasks drain before setImmediate).
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('FakeTime: the work waits for something other than fake time');
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}
