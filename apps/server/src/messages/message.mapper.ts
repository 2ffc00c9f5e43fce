import type { MessageDto } from '@parley/contracts';
import type { MessageRecord } from './message.schema';

export function toMessageDto(record: MessageRecord): MessageDto {
  return {
    id: record._id.toHexString(),
    room: record.room,
    seq: record.seq,
    sender: {
      id: record.sender.toHexString(),
      username: record.senderUsername,
      displayName: record.senderDisplayName,
    },
    content: record.content,
    mentions: (record.mentions ?? []).map((mention) => ({
      userId: mention.user.toHexString(),
      username: mention.username,
    })),
    mentionsRoom: record.mentionsRoom === true,
    clientMessageId: record.clientMessageId,
    createdAt: record.createdAt.toISOString(),
  };
}
