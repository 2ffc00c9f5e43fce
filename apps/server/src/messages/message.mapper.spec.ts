import { MessageDto } from '@parley/contracts';
import { validatePayload } from '@parley/contracts';
import { Types } from 'mongoose';
import { toMessageDto } from './message.mapper';

describe('toMessageDto', () => {
  it('maps a lean record to the contract: string ids, ISO dates, no _id; no mentions stored is none', () => {
    const id = new Types.ObjectId();
    const sender = new Types.ObjectId();
    const dto = toMessageDto({
      _id: id,
      room: 'k3v9x0q2mz',
      seq: 7,
      sender,
      senderUsername: 'ann',
      senderDisplayName: 'Ann',
      content: 'hello',
      clientMessageId: '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b11',
      createdAt: new Date('2026-01-01T12:00:00Z'),
    });
    expect(dto).toEqual({
      id: id.toHexString(),
      room: 'k3v9x0q2mz',
      seq: 7,
      sender: { id: sender.toHexString(), username: 'ann', displayName: 'Ann' },
      content: 'hello',
      mentions: [],
      mentionsRoom: false,
      clientMessageId: '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b11',
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    expect(validatePayload(MessageDto, dto).ok).toBe(true);
  });

  it('maps stored mentions to user ids and usernames', () => {
    const mentioned = new Types.ObjectId();
    const dto = toMessageDto({
      _id: new Types.ObjectId(),
      room: 'k3v9x0q2mz',
      seq: 8,
      sender: new Types.ObjectId(),
      senderUsername: 'ann',
      senderDisplayName: 'Ann',
      content: '@bob @room look',
      mentions: [{ user: mentioned, username: 'bob' }],
      mentionsRoom: true,
      clientMessageId: '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b12',
      createdAt: new Date('2026-01-01T12:00:00Z'),
    });
    expect(dto).toMatchObject({
      mentions: [{ userId: mentioned.toHexString(), username: 'bob' }],
      mentionsRoom: true,
    });
    expect(validatePayload(MessageDto, dto).ok).toBe(true);
  });
});
