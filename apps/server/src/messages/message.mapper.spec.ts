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
      // A message never changed stores none of these: absence reads as the defaults.
      version: 1,
      changeSeq: 0,
      editedAt: null,
      deletedAt: null,
      reactions: [],
      replyTo: null,
      pinnedAt: null,
      attachments: [],
    });
    expect(validatePayload(MessageDto, dto).ok).toBe(true);
  });

  it('maps a changed message: version, edits, reactions with counts, reply quote, pin, files', () => {
    const [reactorA, reactorB, quoted, file] = Array.from(
      { length: 4 },
      () => new Types.ObjectId(),
    );
    const dto = toMessageDto({
      _id: new Types.ObjectId(),
      room: 'k3v9x0q2mz',
      seq: 9,
      sender: new Types.ObjectId(),
      senderUsername: 'ann',
      senderDisplayName: 'Ann',
      content: 'see the plan',
      clientMessageId: '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b13',
      createdAt: new Date('2026-01-01T12:00:00Z'),
      version: 4,
      changeSeq: 11,
      editedAt: new Date('2026-01-01T12:05:00Z'),
      edits: [{ content: 'see the plna', replacedAt: new Date('2026-01-01T12:05:00Z') }],
      reactions: [{ emoji: '👍', users: [reactorA, reactorB] }],
      replyTo: {
        id: new Types.ObjectId(),
        seq: 2,
        sender: quoted,
        senderUsername: 'bob',
        senderDisplayName: 'Bob',
        excerpt: '',
        deleted: true,
      },
      pinnedAt: new Date('2026-01-01T12:06:00Z'),
      attachments: [
        {
          file,
          name: 'plan.png',
          size: 2048,
          contentType: 'image/png',
          kind: 'image',
          width: 64,
          height: 48,
        },
      ],
    });
    expect(dto).toMatchObject({
      version: 4,
      changeSeq: 11,
      editedAt: '2026-01-01T12:05:00.000Z',
      deletedAt: null,
      reactions: [
        { emoji: '👍', count: 2, userIds: [reactorA.toHexString(), reactorB.toHexString()] },
      ],
      replyTo: { seq: 2, sender: { username: 'bob' }, excerpt: '', deleted: true },
      pinnedAt: '2026-01-01T12:06:00.000Z',
      attachments: [
        { id: file.toHexString(), name: 'plan.png', kind: 'image', width: 64, height: 48 },
      ],
    });
    // The edit history stays on the server.
    expect(dto).not.toHaveProperty('edits');
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
