import { MUST_BE_ZERO } from '../src/ledger';
import { randomSeed } from '../src/random';
import { DEFAULT_CHAOS_OPTIONS, formatReport, runChaos } from '../src/run-chaos';

describe('the chaos ledger (production build)', () => {
  it('loses, duplicates and misorders nothing through socket drops and two server kills', async () => {
    // A failing run prints its seed; CHAOS_SEED replays that schedule.
    const seed = process.env['CHAOS_SEED'] ? Number(process.env['CHAOS_SEED']) : randomSeed();

    // The size (20 clients, 5 rooms, 50 messages each, 2 kills) with the pauses compressed.
    const report = await runChaos({
      ...DEFAULT_CHAOS_OPTIONS,
      seed,
      sendIntervalMs: 400,
      dropIntervalMs: [1_000, 4_000],
    });

    // Printed when something is off, so the figures come with the seed.
    if (!report.passed) process.stderr.write(`${formatReport(report)}\n`);
    const zero = Object.fromEntries(MUST_BE_ZERO.map((name) => [name, 0]));
    const counts = Object.fromEntries(MUST_BE_ZERO.map((name) => [name, report.figures[name]]));
    expect({ seed, ...counts, lost_shown: report.figures.lost_shown }).toEqual({
      seed,
      ...zero,
      lost_shown: 0,
    });
    expect(report.messages).toBe(20 * 50);
    expect(report.stored).toBe(report.messages);
    expect(report.figures.reconnects).toBeGreaterThan(0);
    expect(report.kills).toHaveLength(2);
    expect(report.kills.map((kill) => kill.exit?.signal)).toEqual(['SIGKILL', 'SIGKILL']);
  }, 300_000);
});
