import { AwayDetector } from './away-detector';

const IDLE_MS = 60_000;

function setup() {
  const target = new EventTarget();
  const changes: string[] = [];
  const detector = new AwayDetector({
    onChange: (status) => changes.push(status),
    idleMs: IDLE_MS,
    target,
  });
  const input = (type = 'pointermove') => target.dispatchEvent(new Event(type));
  return { detector, changes, input, target };
}

describe('AwayDetector', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('goes away after the idle time without input, and online at the next input', () => {
    const { detector, changes, input } = setup();
    detector.start();
    jest.advanceTimersByTime(IDLE_MS - 1);
    expect(changes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(changes).toEqual(['away']);
    expect(detector.status).toBe('away');

    input('keydown');
    expect(changes).toEqual(['away', 'online']);
    input('keydown');
    expect(changes).toEqual(['away', 'online']);
    jest.advanceTimersByTime(IDLE_MS);
    expect(changes).toEqual(['away', 'online', 'away']);
    detector.stop();
  });

  it('counts any input as activity and measures the idle time from the last one', () => {
    const { detector, changes, input } = setup();
    detector.start();
    for (const type of ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus']) {
      jest.advanceTimersByTime(IDLE_MS / 2);
      input(type);
    }
    expect(changes).toEqual([]);
    jest.advanceTimersByTime(IDLE_MS - 1);
    expect(changes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(changes).toEqual(['away']);
    detector.stop();
  });

  it('ignores events that are not input', () => {
    const { detector, changes, input } = setup();
    detector.start();
    jest.advanceTimersByTime(IDLE_MS / 2);
    input('scroll');
    jest.advanceTimersByTime(IDLE_MS / 2);
    expect(changes).toEqual(['away']);
    detector.stop();
  });

  it('stops listening and timing when stopped', () => {
    const { detector, changes, input } = setup();
    detector.start();
    detector.stop();
    jest.advanceTimersByTime(IDLE_MS * 2);
    input();
    expect(changes).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
