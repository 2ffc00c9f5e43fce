import { FakeSocket } from '@/test/fake-socket';
import { ApiRequestError } from './api-error';
import { emitWithAck } from './socket';

describe('emitWithAck', () => {
  const payload = { room: 'abcdefghij' };

  it('resolves with the data of an ok ack and passes the timeout on', async () => {
    const socket = new FakeSocket();
    const result = emitWithAck(socket.asSocket(), 'leave_room', payload, 1234);
    const [sent] = socket.emitted;
    expect(sent).toMatchObject({ event: 'leave_room', payload, timeoutMs: 1234 });
    sent.ack(null, { ok: true, data: { room: 'abcdefghij' } });
    await expect(result).resolves.toEqual({ room: 'abcdefghij' });
  });

  it('rejects an error ack with an ApiRequestError carrying the code', async () => {
    const socket = new FakeSocket();
    const result = emitWithAck(socket.asSocket(), 'join_room', payload);
    socket.emitted[0].ack(null, {
      ok: false,
      error: { code: 'room_not_found', message: 'No such room' },
    });
    const error: unknown = await result.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ code: 'room_not_found', message: 'No such room' });
  });

  it('rejects when no ack arrives in time', async () => {
    const socket = new FakeSocket();
    const result = emitWithAck(socket.asSocket(), 'join_room', payload);
    socket.emitted[0].ack(new Error('operation has timed out'), undefined);
    await expect(result).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('rejects a malformed ack instead of trusting it', async () => {
    const socket = new FakeSocket();
    const result = emitWithAck(socket.asSocket(), 'join_room', payload);
    socket.emitted[0].ack(null, { ok: 'yes' });
    await expect(result).rejects.toMatchObject({ code: 'internal_error' });
  });
});
