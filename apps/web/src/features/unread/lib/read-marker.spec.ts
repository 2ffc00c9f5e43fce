import { MARK_READ_INTERVAL_MS, ReadMarker } from './read-marker';

function setup(knownReadSeq = 0) {
  const sent: number[] = [];
  const answers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const known = { readSeq: knownReadSeq };
  const marker = new ReadMarker({
    send: (seq) => {
      sent.push(seq);
      return new Promise<void>((resolve, reject) => answers.push({ resolve, reject }));
    },
    knownReadSeq: () => known.readSeq,
  });
  return { marker, sent, answers, known };
}

describe('ReadMarker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the first seen seq at once, then at most one per interval with the highest seen', () => {
    const { marker, sent } = setup();
    marker.seen(3);
    expect(sent).toEqual([3]);
    marker.seen(4);
    marker.seen(6);
    marker.seen(5);
    expect(sent).toEqual([3]);
    jest.advanceTimersByTime(MARK_READ_INTERVAL_MS - 1);
    expect(sent).toEqual([3]);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual([3, 6]);
    // Nothing new seen: the next interval sends nothing.
    jest.advanceTimersByTime(MARK_READ_INTERVAL_MS * 3);
    expect(sent).toEqual([3, 6]);
    // Long after the last send, the next one goes at once again.
    marker.seen(7);
    expect(sent).toEqual([3, 6, 7]);
  });

  it('never sends lower than what it sent or what the room’s cursor already is', () => {
    const { marker, sent, known } = setup(10);
    marker.seen(8);
    marker.seen(10);
    expect(sent).toEqual([]);
    marker.seen(12);
    jest.advanceTimersByTime(MARK_READ_INTERVAL_MS);
    marker.seen(11);
    jest.advanceTimersByTime(MARK_READ_INTERVAL_MS);
    expect(sent).toEqual([12]);
    // Another tab read further meanwhile.
    known.readSeq = 20;
    marker.seen(15);
    jest.advanceTimersByTime(MARK_READ_INTERVAL_MS);
    expect(sent).toEqual([12]);
  });

  it('flushes what the throttle holds (leaving the room)', () => {
    const { marker, sent } = setup();
    marker.seen(1);
    marker.seen(2);
    marker.flush();
    expect(sent).toEqual([1, 2]);
    jest.advanceTimersByTime(MARK_READ_INTERVAL_MS);
    expect(sent).toEqual([1, 2]);
  });

  it('forgets a send that failed, so the same seq can go again', async () => {
    const { marker, sent, answers } = setup();
    marker.seen(4);
    answers[0].reject(new Error('no answer'));
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(MARK_READ_INTERVAL_MS);
    marker.seen(4);
    expect(sent).toEqual([4, 4]);
  });
});
